# Hopping windows (slide 5 s, size 10 s) in both syntaxes. Each row is in two windows.
# Rows (seconds after 10:00:00): web t1 2.0, app t3 4.0, web t2 6.0, app t7 1.0, web t12 3.0,
# web t14 5.0, app t31 8.0. Expected rows counted by hand.
@file bids.json
{"auction": 1, "bidder": 10, "price": 2.0, "channel": "web", "ts": "2024-01-01 10:00:01"}
{"auction": 2, "bidder": 11, "price": 4.0, "channel": "app", "ts": "2024-01-01 10:00:03"}
{"auction": 1, "bidder": 10, "price": 6.0, "channel": "web", "ts": "2024-01-01 10:00:02"}
{"auction": 1, "bidder": 12, "price": 1.0, "channel": "app", "ts": "2024-01-01 10:00:07"}
{"auction": 2, "bidder": 11, "price": 3.0, "channel": "web", "ts": "2024-01-01 10:00:12"}
{"auction": 1, "bidder": 10, "price": 5.0, "channel": "web", "ts": "2024-01-01 10:00:14"}
{"auction": 2, "bidder": 12, "price": 8.0, "channel": "app", "ts": "2024-01-01 10:00:31"}
@end

CREATE STREAM bids (auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# [-5,5): t1 t2 t3; [0,10): t1 t2 t3 t7; [5,15): t7 t12 t14; [10,20): t12 t14; [25,35) and [30,40): t31
SELECT STREAM HOP_START(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS ws,
  HOP_END(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS we, COUNT(*) AS n, MAX(price) AS top
FROM bids
GROUP BY HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND);
> rows unordered
ws | we | n | top
2024-01-01 09:59:55.000 | 2024-01-01 10:00:05.000 | 3 | 6.0
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 4 | 6.0
2024-01-01 10:00:05.000 | 2024-01-01 10:00:15.000 | 3 | 5.0
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 2 | 5.0
2024-01-01 10:00:25.000 | 2024-01-01 10:00:35.000 | 1 | 8.0
2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 1 | 8.0

SELECT STREAM window_start, window_end, COUNT(*) AS n, MAX(price) AS top
FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> rows unordered
window_start | window_end | n | top
2024-01-01 09:59:55.000 | 2024-01-01 10:00:05.000 | 3 | 6.0
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 4 | 6.0
2024-01-01 10:00:05.000 | 2024-01-01 10:00:15.000 | 3 | 5.0
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 2 | 5.0
2024-01-01 10:00:25.000 | 2024-01-01 10:00:35.000 | 1 | 8.0
2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 1 | 8.0

# Per channel. web: t1 t2 t12 t14; app: t3 t7 t31.
SELECT STREAM channel, window_start, window_end, COUNT(*) AS n
FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end, channel;
> rows unordered
channel | window_start | window_end | n
web | 2024-01-01 09:59:55.000 | 2024-01-01 10:00:05.000 | 2
web | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 2
web | 2024-01-01 10:00:05.000 | 2024-01-01 10:00:15.000 | 2
web | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 2
app | 2024-01-01 09:59:55.000 | 2024-01-01 10:00:05.000 | 1
app | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 2
app | 2024-01-01 10:00:05.000 | 2024-01-01 10:00:15.000 | 1
app | 2024-01-01 10:00:25.000 | 2024-01-01 10:00:35.000 | 1
app | 2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 1
