# Idle sources. The watermark of a UNION ALL is the smallest of its inputs' watermarks, so a stream
# that delivers nothing holds back every window — until it has been quiet for its
# 'watermark.idle-timeout', after which it no longer counts.
#
# web_orders: a watched directory (unbounded); its two files are read at once, and a file read to its
#   end no longer holds back the watermark, so the stream's watermark is its largest ts - 1 s = 10:00:24.
# shop_orders: a quiet stream — datagen at one row per second, so nothing for the first second, then
#   rows at 10:00:20, 10:00:21, ...; until its first row its watermark is unknown, holding everything back.
#
# Windows of 10 s over web_orders' rows, by hand:
#   [10:00:00, 10:00:10): 10:00:01 (10), 10:00:04 (20)  -> 2 rows, total 30
#   [10:00:10, 10:00:20): 10:00:12 (5), 10:00:15 (7)    -> 2 rows, total 12
#   [10:00:20, 10:00:30): 10:00:25 (1)                  -> open: the watermark stays below 10:00:29.999
@file orders/part-1.json
{"amount": 10, "ts": "2024-01-01 10:00:01"}
{"amount": 20, "ts": "2024-01-01 10:00:04"}
{"amount": 5, "ts": "2024-01-01 10:00:12"}
@end

@file orders/part-2.json
{"amount": 7, "ts": "2024-01-01 10:00:15"}
{"amount": 1, "ts": "2024-01-01 10:00:25"}
@end

CREATE STREAM web_orders (amount BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/orders', 'format' = 'json', 'watch' = 'true');
> ok

CREATE STREAM shop_orders (amount BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'start-time' = '2024-01-01 10:00:20');
> ok

# The same quiet stream, declared idle after 200 ms without rows.
CREATE STREAM shop_orders_idle (amount BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'start-time' = '2024-01-01 10:00:20',
      'watermark.idle-timeout' = '200 ms');
> ok

SET 'batch.interval' = '20 ms';
> ok

# Without an idle timeout nothing can fire before shop_orders' first row, due one second after the
# query started (it then fires [10:00:00, 10:00:10) at once, and [10:00:10, 10:00:20) a second later).
SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND) AS window_start, COUNT(*) AS n, SUM(amount) AS total
FROM (SELECT amount, ts FROM web_orders UNION ALL SELECT amount, ts FROM shop_orders)
GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)
LIMIT 2;
> rows within 700 ms
window_start | n | total

# With the idle timeout, 200 ms of silence makes shop_orders_idle idle: the watermark is then
# web_orders' (10:00:24) and both complete windows fire at once. shop_orders' own rows, from 10:00:20
# on, could only ever fall into later windows. Without the idle timeout the second window would need
# shop_orders' second row, two seconds after the start: the 1500 ms bound tells the two apart (the
# read ends as soon as LIMIT 2 is reached).
SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND) AS window_start, COUNT(*) AS n, SUM(amount) AS total
FROM (SELECT amount, ts FROM web_orders UNION ALL SELECT amount, ts FROM shop_orders_idle)
GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)
LIMIT 2;
> rows unordered within 1500 ms
window_start | n | total
2024-01-01 10:00:00.000 | 2 | 30
2024-01-01 10:00:10.000 | 2 | 12

# The same through a view, with a window table function.
CREATE VIEW all_orders AS
SELECT amount, ts FROM web_orders UNION ALL SELECT amount, ts FROM shop_orders_idle;
> ok

SELECT STREAM window_end, MAX(amount) AS biggest
FROM TABLE(TUMBLE(TABLE all_orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end
LIMIT 2;
> rows unordered within 1500 ms
window_end | biggest
2024-01-01 10:00:10.000 | 20
2024-01-01 10:00:20.000 | 7

# The first query was stopped when its statement closed, having produced nothing; the others
# finished at their LIMIT.
SELECT state, rows_out FROM sys.queries ORDER BY started;
> rows
state | rows_out
CANCELLED | 0
FINISHED | 2
FINISHED | 2
