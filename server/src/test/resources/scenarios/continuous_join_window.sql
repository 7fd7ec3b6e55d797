# Window joins (Nexmark q8: people who opened auctions in the window they registered in). Each side is
# a windowed aggregation; a window's rows are matched once the watermark of both sides passed its end.
# Persons: [10:00:00, 10:00:10) ann (1), ben (2); [10:00:10, 10:00:20) cid (3).
# Auctions by seller: [0 s, 10 s) 1 x2, 3 x1; [10 s, 20 s) 3 x1; [20 s, 30 s) 2 x1.
@file persons.json
{"id": 1, "name": "ann", "ts": "2024-01-01 10:00:01"}
{"id": 2, "name": "ben", "ts": "2024-01-01 10:00:04"}
{"id": 3, "name": "cid", "ts": "2024-01-01 10:00:12"}
@end

@file auctions.json
{"id": 100, "seller": 1, "ts": "2024-01-01 10:00:02"}
{"id": 101, "seller": 1, "ts": "2024-01-01 10:00:05"}
{"id": 102, "seller": 3, "ts": "2024-01-01 10:00:03"}
{"id": 103, "seller": 3, "ts": "2024-01-01 10:00:14"}
{"id": 104, "seller": 2, "ts": "2024-01-01 10:00:25"}
@end

CREATE STREAM persons (id BIGINT, name VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/persons.json', 'format' = 'json');
> ok

CREATE STREAM auctions (id BIGINT, seller BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/auctions.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# ann sold in her window; cid (3) too, in [10 s, 20 s) — his auction 102 is in the window before he registered.
SELECT STREAM p.id, p.name, p.window_start, a.n
FROM (SELECT id, name, window_start, window_end FROM TABLE(TUMBLE(TABLE persons, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY id, name, window_start, window_end) p
JOIN (SELECT seller, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE auctions, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY seller, window_start, window_end) a
ON p.id = a.seller AND p.window_start = a.window_start AND p.window_end = a.window_end;
> rows unordered
id | name | window_start | n
1 | ann | 2024-01-01 10:00:00.000 | 2
3 | cid | 2024-01-01 10:00:10.000 | 1

# LEFT: ben registered but sold nothing in his window.
SELECT STREAM p.id, p.name, p.window_start, a.n
FROM (SELECT id, name, window_start, window_end FROM TABLE(TUMBLE(TABLE persons, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY id, name, window_start, window_end) p
LEFT JOIN (SELECT seller, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE auctions, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY seller, window_start, window_end) a
ON p.id = a.seller AND p.window_start = a.window_start AND p.window_end = a.window_end;
> rows unordered
id | name | window_start | n
1 | ann | 2024-01-01 10:00:00.000 | 2
2 | ben | 2024-01-01 10:00:00.000 | null
3 | cid | 2024-01-01 10:00:10.000 | 1

# Group-window syntax, and a further condition: only sellers with more than one auction in the window.
SELECT STREAM p.id, a.ws, a.n
FROM (SELECT id, TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, TUMBLE_END(ts, INTERVAL '10' SECOND) AS we
      FROM persons GROUP BY id, TUMBLE(ts, INTERVAL '10' SECOND)) p
JOIN (SELECT seller, TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, TUMBLE_END(ts, INTERVAL '10' SECOND) AS we, COUNT(*) AS n
      FROM auctions GROUP BY seller, TUMBLE(ts, INTERVAL '10' SECOND)) a
ON p.id = a.seller AND p.ws = a.ws AND p.we = a.we AND a.n > 1;
> rows unordered
id | ws | n
1 | 2024-01-01 10:00:00.000 | 2

# Nexmark q5's shape: each window's busiest sellers, the count per seller joined with the largest count
# of its window. The count per seller and window is computed once and feeds both sides.
SELECT STREAM c.seller, c.window_start, c.n
FROM (SELECT seller, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE auctions, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY seller, window_start, window_end) c
JOIN (SELECT window_start, window_end, MAX(n) AS maxn
      FROM (SELECT seller, window_start, window_end, COUNT(*) AS n
            FROM TABLE(TUMBLE(TABLE auctions, DESCRIPTOR(ts), INTERVAL '10' SECOND))
            GROUP BY seller, window_start, window_end)
      GROUP BY window_start, window_end) m
ON c.window_start = m.window_start AND c.window_end = m.window_end AND c.n >= m.maxn;
> rows unordered
seller | window_start | n
1 | 2024-01-01 10:00:00.000 | 2
3 | 2024-01-01 10:00:10.000 | 1
2 | 2024-01-01 10:00:20.000 | 1

SELECT STREAM p.id
FROM (SELECT id, window_start, window_end FROM TABLE(TUMBLE(TABLE persons, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY id, window_start, window_end) p
JOIN (SELECT seller, window_start, window_end FROM TABLE(TUMBLE(TABLE auctions, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY seller, window_start, window_end) a
ON p.id = a.seller AND p.window_start = a.window_start;
> error 0A000 add a.window_end = b.window_end
