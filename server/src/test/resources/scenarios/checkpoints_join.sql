# A persistent interval join keeps its buffered rows across a restart: the orders it holds come back
# from the checkpoint (their file is gone by then), so a shipment arriving after the restart still
# finds its order. The results go to a file sink, whose part files become visible at checkpoints.
# A self-join (one scan feeding both sides) does the same: shipment 100 comes back from the checkpoint
# and pairs with 102, a later shipment of its order that arrives after the restart.
@file orders/part-1.json
{"id": 1, "ts": "2024-01-01 10:00:00"}
{"id": 2, "ts": "2024-01-01 10:00:10"}
{"id": 3, "ts": "2024-01-01 10:00:20"}
@end

@file shipments/part-1.json
{"sid": 100, "order_id": 1, "ts": "2024-01-01 10:00:30"}
@end

CREATE STREAM orders (id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/orders', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

CREATE STREAM shipments (sid BIGINT, order_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/shipments', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

CREATE STREAM shipped (id BIGINT, sid BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/shipped', 'format' = 'json');
> ok

# The visible part files of the sink, read as a bounded stream.
CREATE STREAM shipped_files (id BIGINT, sid BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/shipped', 'glob' = 'part-*', 'format' = 'json');
> ok

CREATE STREAM pairs (sid BIGINT, next_sid BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/pairs', 'format' = 'json');
> ok

CREATE STREAM pairs_files (sid BIGINT, next_sid BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/pairs', 'glob' = 'part-*', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

INSERT INTO shipped SELECT STREAM o.id, s.sid FROM orders o JOIN shipments s
ON o.id = s.order_id AND s.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;
> ok

INSERT INTO pairs SELECT STREAM a.sid, b.sid FROM shipments a JOIN shipments b
ON a.order_id = b.order_id AND b.ts BETWEEN a.ts + INTERVAL '1' SECOND AND a.ts + INTERVAL '1' MINUTE;
> ok

SELECT id, sid FROM shipped_files ORDER BY sid;
> rows eventually
id | sid
1 | 100

@restart

@delete orders/part-1.json

@add shipments/part-2.json
{"sid": 102, "order_id": 1, "ts": "2024-01-01 10:00:50"}
{"sid": 103, "order_id": 3, "ts": "2024-01-01 10:00:55"}
@end

SELECT id, sid FROM shipped_files ORDER BY sid;
> rows eventually
id | sid
1 | 100
1 | 102
3 | 103

SELECT sid, next_sid FROM pairs_files ORDER BY sid;
> rows eventually
sid | next_sid
100 | 102
