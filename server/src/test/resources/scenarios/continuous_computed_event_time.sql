# A computed event-time column, as in Flink: ts AS "dateTime" with a WATERMARK on ts. The source
# computes ts for each row, its watermark trails the largest ts, and windows group by it — in
# continuous queries, materialized views and plain SELECTs alike. Expected rows counted by hand.
@file bids/part-1.json
{"auction": 1, "price": 10, "dateTime": "2024-01-01 10:00:01"}
{"auction": 2, "price": 20, "dateTime": "2024-01-01 10:00:03"}
{"auction": 1, "price": 30, "dateTime": "2024-01-01 10:00:02"}
{"auction": 1, "price": 40, "dateTime": "2024-01-01 10:00:12"}
{"auction": 2, "price": 50, "dateTime": "2024-01-01 10:00:15"}
@end

CREATE STREAM bids (auction BIGINT, price BIGINT, "dateTime" TIMESTAMP(3), ts AS "dateTime",
  WATERMARK FOR ts AS ts - INTERVAL '4' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

SET 'batch.interval' = '20 ms';
> ok

# The watched directory never ends: only windows the watermark (largest ts 10:00:15 - 4 s) has passed fire.
SELECT STREAM TUMBLE_END(ts, INTERVAL '10' SECOND) AS window_end, COUNT(*) AS n, SUM(price) AS total
FROM bids GROUP BY TUMBLE(ts, INTERVAL '10' SECOND);
> rows within 2000 ms
window_end | n | total
2024-01-01 10:00:10.000 | 3 | 60

# The window table function, and a computed column derived from a computed event time's source column.
CREATE STREAM shifted (auction BIGINT, price BIGINT, "dateTime" TIMESTAMP(3),
  ts AS "dateTime" + INTERVAL '1' HOUR, cents AS price * 100,
  WATERMARK FOR ts AS ts - INTERVAL '4' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

SELECT STREAM window_start, window_end, auction, SUM(cents) AS cents
FROM TABLE(TUMBLE(TABLE shifted, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, auction;
> rows unordered within 2000 ms
window_start | window_end | auction | cents
2024-01-01 11:00:00.000 | 2024-01-01 11:00:10.000 | 1 | 4000
2024-01-01 11:00:00.000 | 2024-01-01 11:00:10.000 | 2 | 2000

# A materialized view updates its windows every micro-batch, by the computed event time.
CREATE MATERIALIZED VIEW per_window AS
SELECT window_end, COUNT(*) AS n, SUM(price) AS total
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> ok

SELECT window_end, n, total FROM per_window ORDER BY window_end;
> rows eventually
window_end | n | total
2024-01-01 10:00:10.000 | 3 | 60
2024-01-01 10:00:20.000 | 2 | 90

# A late row (10:00:05, for a window the watermark at 10:00:11 has passed) is dropped.
@add bids/part-2.json
{"auction": 1, "price": 1, "dateTime": "2024-01-01 10:00:05"}
{"auction": 2, "price": 60, "dateTime": "2024-01-01 10:00:18"}
{"auction": 2, "price": 70, "dateTime": "2024-01-01 10:00:25"}
@end

SELECT window_end, n, total FROM per_window ORDER BY window_end;
> rows eventually
window_end | n | total
2024-01-01 10:00:10.000 | 3 | 60
2024-01-01 10:00:20.000 | 3 | 150
2024-01-01 10:00:30.000 | 1 | 70

# A plain SELECT reads the computed column as any other.
CREATE STREAM bounded_bids (auction BIGINT, "dateTime" TIMESTAMP(3), ts AS "dateTime",
  WATERMARK FOR ts AS ts - INTERVAL '4' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids', 'glob' = '*.json', 'format' = 'json');
> ok

SELECT COUNT(*) AS n, MIN(ts) AS first, MAX(ts) AS last FROM bounded_bids;
> rows
n | first | last
8 | 2024-01-01 10:00:01.000 | 2024-01-01 10:00:25.000
