# Continuous queries without windows: projections, WHERE, CASE, CAST, scalar functions, subqueries in
# FROM, UNION ALL and LIMIT, compiled to Java once per query. Expected rows written by hand.
@file events.json
{"id": 1, "name": "alice", "amount": 12.5, "ts": "2024-01-01 10:00:01"}
{"id": 2, "name": "bob", "amount": 3.25, "ts": "2024-01-01 10:00:02"}
{"id": 3, "name": null, "amount": 100, "ts": "2024-01-01 10:00:03"}
{"id": 4, "name": "carol", "amount": 7, "ts": "2024-01-01 10:00:04"}
@end

CREATE STREAM events (id BIGINT, name VARCHAR, amount DOUBLE, ts TIMESTAMP(3), doubled AS amount * 2,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SELECT STREAM id, UPPER(name) AS up, CHAR_LENGTH(name) AS len, doubled,
  CASE WHEN amount >= 10 THEN 'large' ELSE 'small' END AS size, CAST(amount AS INT) AS whole,
  EXTRACT(SECOND FROM ts) AS sec, COALESCE(name, '?') AS nm, name LIKE '%o%' AS has_o
FROM events
WHERE id <> 2;
> rows unordered
id | up | len | doubled | size | whole | sec | nm | has_o
1 | ALICE | 5 | 25.0 | large | 12 | 1 | alice | false
3 | null | null | 200.0 | large | 100 | 3 | ? | null
4 | CAROL | 5 | 14.0 | small | 7 | 4 | carol | true

# NULL in WHERE drops the row, like FALSE.
SELECT STREAM id FROM events WHERE name LIKE '%o%' OR amount > 50;
> rows unordered
id
2
3
4

SELECT STREAM id, name FROM (SELECT STREAM * FROM events WHERE amount > 5) AS big WHERE name IS NOT NULL
UNION ALL
SELECT STREAM id * 10, 'x' FROM events WHERE id = 2;
> rows unordered
id | name
1 | alice
4 | carol
20 | x

SELECT STREAM window_end, COUNT(*) AS n
FROM TABLE(TUMBLE((SELECT * FROM events WHERE amount > 5), DESCRIPTOR(ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end;
> rows
window_end | n
2024-01-01 10:01:00.000 | 3

# A window table function over a UNION ALL: amount > 5 gives ids 1 (10:00:01), 3 (:03), 4 (:04); id = 2 is at :02.
# Two-second windows: [:00, :02) has id 1; [:02, :04) ids 2 and 3; [:04, :06) id 4.
SELECT STREAM window_start, window_end, COUNT(*) AS n
FROM TABLE(TUMBLE((SELECT id, ts FROM events WHERE amount > 5 UNION ALL SELECT id, ts FROM events WHERE id = 2),
  DESCRIPTOR(ts), INTERVAL '2' SECOND))
GROUP BY window_start, window_end;
> rows unordered
window_start | window_end | n
2024-01-01 10:00:00.000 | 2024-01-01 10:00:02.000 | 1
2024-01-01 10:00:02.000 | 2024-01-01 10:00:04.000 | 2
2024-01-01 10:00:04.000 | 2024-01-01 10:00:06.000 | 1

SELECT STREAM n FROM (
  SELECT STREAM TUMBLE_END(ts, INTERVAL '1' MINUTE) AS we, COUNT(*) AS n FROM events GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)
) WHERE n > 1;
> rows
n
4

SELECT STREAM id FROM events LIMIT 2;
> rows
id
1
2
