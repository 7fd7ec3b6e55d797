# Streams over directories of several files, whose files are divided between the tasks of a query,
# at 'parallelism' 3 (more tasks than the server's default): windows, a count per window without
# key, an interval join and a window join give the rows they give at parallelism 1. Each file
# holds consecutive times, so no row is late when one task reads the files one after the other.
# Orders (seconds after 10:00:00): o1 c1 2 s 10.0, o2 c2 4 s 5.0, o3 c1 11 s 7.0 | o4 c3 13 s 1.0,
# o5 c2 18 s 4.0 | o6 c1 25 s 2.0. Payments of order ids 1 (3 s), 2 (30 s), 4 (14 s), 6 (26 s), 9 (27 s).
@file orders/part-1.json
{"id": 1, "customer": "c1", "amount": 10.0, "ts": "2024-01-01 10:00:02"}
{"id": 2, "customer": "c2", "amount": 5.0, "ts": "2024-01-01 10:00:04"}
{"id": 3, "customer": "c1", "amount": 7.0, "ts": "2024-01-01 10:00:11"}
@end

@file orders/part-2.json
{"id": 4, "customer": "c3", "amount": 1.0, "ts": "2024-01-01 10:00:13"}
{"id": 5, "customer": "c2", "amount": 4.0, "ts": "2024-01-01 10:00:18"}
@end

@file orders/part-3.json
{"id": 6, "customer": "c1", "amount": 2.0, "ts": "2024-01-01 10:00:25"}
@end

@file payments/part-1.json
{"order_id": 1, "ts": "2024-01-01 10:00:03"}
{"order_id": 4, "ts": "2024-01-01 10:00:14"}
@end

@file payments/part-2.json
{"order_id": 6, "ts": "2024-01-01 10:00:26"}
{"order_id": 9, "ts": "2024-01-01 10:00:27"}
{"order_id": 2, "ts": "2024-01-01 10:00:30"}
@end

CREATE STREAM orders (id BIGINT, customer VARCHAR, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/orders', 'format' = 'json');
> ok

CREATE STREAM payments (order_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/payments', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'parallelism' = '3';
> ok

# [0,10): c1 = 10.0, c2 = 5.0; [10,20): c1 = 7.0, c3 = 1.0, c2 = 4.0; [20,30): c1 = 2.0
SELECT STREAM customer, window_start, COUNT(*) AS n, SUM(amount) AS total
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY customer, window_start, window_end;
> rows unordered
customer | window_start | n | total
c1 | 2024-01-01 10:00:00.000 | 1 | 10.0
c2 | 2024-01-01 10:00:00.000 | 1 | 5.0
c1 | 2024-01-01 10:00:10.000 | 1 | 7.0
c3 | 2024-01-01 10:00:10.000 | 1 | 1.0
c2 | 2024-01-01 10:00:10.000 | 1 | 4.0
c1 | 2024-01-01 10:00:20.000 | 1 | 2.0

# Every window's orders, counted in one task (no key), then aggregated again per window.
SELECT STREAM window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> rows unordered
window_start | n
2024-01-01 10:00:00.000 | 2
2024-01-01 10:00:10.000 | 3
2024-01-01 10:00:20.000 | 1

# Paid within 5 s of the order: 1 (+1 s), 4 (+1 s), 6 (+1 s); 2 is paid 26 s later, 9 has no order.
SELECT STREAM o.id, o.customer FROM orders o JOIN payments p
ON o.id = p.order_id AND p.ts BETWEEN o.ts AND o.ts + INTERVAL '5' SECOND;
> rows unordered
id | customer
1 | c1
4 | c3
6 | c1

# Orders and payments in the same 10 s window, by order id: 1 in [0,10), 4 in [10,20), 6 in [20,30).
SELECT STREAM o.id, o.window_start
FROM (SELECT id, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY id, window_start, window_end) o
JOIN (SELECT order_id, window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(ts), INTERVAL '10' SECOND))
      GROUP BY order_id, window_start, window_end) p
ON o.id = p.order_id AND o.window_start = p.window_start AND o.window_end = p.window_end;
> rows unordered
id | window_start
1 | 2024-01-01 10:00:00.000
4 | 2024-01-01 10:00:10.000
6 | 2024-01-01 10:00:20.000

SET 'parallelism' = '200';
> error 22023 'parallelism' must be between 1 and 128
