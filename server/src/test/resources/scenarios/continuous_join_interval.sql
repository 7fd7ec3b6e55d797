# Interval joins: shipments within a time range of their order, on the streams' event times.
# Seconds after 10:00:00 — orders: 1 at 0, 2 at 10, 3 at 20. Shipments: 100 of order 1 at 30 (+30 s),
# 101 of 2 at 120 (+110 s), 102 of 1 at 50 (+50 s), 103 of 3 at 15 (-5 s). Expected rows worked out by hand.
@file orders.json
{"id": 1, "ts": "2024-01-01 10:00:00", "due": "2024-01-01 10:00:30"}
{"id": 2, "ts": "2024-01-01 10:00:10", "due": "2024-01-01 10:00:40"}
{"id": 3, "ts": "2024-01-01 10:00:20", "due": "2024-01-01 10:00:50"}
@end

@file shipments.json
{"sid": 100, "order_id": 1, "ts": "2024-01-01 10:00:30"}
{"sid": 101, "order_id": 2, "ts": "2024-01-01 10:02:00"}
{"sid": 102, "order_id": 1, "ts": "2024-01-01 10:00:50"}
{"sid": 103, "order_id": 3, "ts": "2024-01-01 10:00:15"}
@end

CREATE STREAM orders (id BIGINT, ts TIMESTAMP(3), due TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/orders.json', 'format' = 'json');
> ok

CREATE STREAM shipments (sid BIGINT, order_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/shipments.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# Within a minute after the order: 100 (+30 s) and 102 (+50 s).
SELECT STREAM o.id, s.sid FROM orders o JOIN shipments s
ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;
> rows unordered
id | sid
1 | 100
1 | 102

# The same with >= / <=, from 10 s before: 103 (-5 s) too.
SELECT STREAM o.id, s.sid, s.ts FROM orders o JOIN shipments s
ON o.id = s.order_id AND s.ts >= o.ts - INTERVAL '10' SECOND AND s.ts <= o.ts + INTERVAL '1' MINUTE;
> rows unordered
id | sid | ts
1 | 100 | 2024-01-01 10:00:30.000
1 | 102 | 2024-01-01 10:00:50.000
3 | 103 | 2024-01-01 10:00:15.000

# LEFT: orders 2 and 3 shipped nothing in time; they come with NULLs once no shipment can match any more.
SELECT STREAM o.id, s.sid FROM orders o LEFT JOIN shipments s
ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;
> rows unordered
id | sid
1 | 100
1 | 102
2 | null
3 | null

# RIGHT: shipments 101 and 103 matched no order.
SELECT STREAM o.id, s.sid FROM orders o RIGHT JOIN shipments s
ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;
> rows unordered
id | sid
1 | 100
1 | 102
null | 101
null | 103

# A stream joined with itself, read once (both sides get its rows): each shipment with the shipments of
# its order in the minute from it, itself included.
SELECT STREAM a.sid, b.sid AS later FROM shipments a JOIN shipments b
ON a.order_id = b.order_id AND b.ts BETWEEN a.ts AND a.ts + INTERVAL '1' MINUTE;
> rows unordered
sid | later
100 | 100
100 | 102
101 | 101
102 | 102
103 | 103

# LEFT, the next shipment of the order 1 s to 1 min later: only 100 has one (102, +20 s).
SELECT STREAM a.sid, b.sid AS next_sid FROM shipments a LEFT JOIN shipments b
ON a.order_id = b.order_id AND b.ts BETWEEN a.ts + INTERVAL '1' SECOND AND a.ts + INTERVAL '1' MINUTE;
> rows unordered
sid | next_sid
100 | 102
101 | null
102 | null
103 | null

SELECT STREAM o.id, s.sid FROM orders o JOIN shipments s ON o.id = s.order_id;
> error 0A000 needs a time bound

SELECT STREAM o.id, s.sid FROM orders o JOIN shipments s ON o.id = s.order_id AND s.ts >= o.ts;
> error 0A000 no upper bound

SELECT STREAM o.id, s.sid FROM orders o JOIN shipments s ON o.id = s.order_id AND s.ts <= o.ts + INTERVAL '1' MINUTE;
> error 0A000 no lower bound

SELECT STREAM o.id, s.sid FROM orders o JOIN shipments s ON o.id = s.order_id AND s.ts BETWEEN o.due AND o.due + INTERVAL '1' MINUTE;
> error 0A000 'due' is not the event-time column
