# Tumbling windows in both syntaxes over a bounded file: every window fires at the end of the file.
# Rows (seconds after 10:00:00): a1 t1 2.0, a2 t3 4.0, a1 t2 6.0 (1 s out of order, within the
# 1 s watermark delay), a1 t7 1.0, a2 t12 3.0, a1 t14 5.0, a2 t31 8.0. Expected rows counted by hand.
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

# [0,10): auction 1 = 2.0 + 6.0 + 1.0, auction 2 = 4.0; [10,20): 1 = 5.0, 2 = 3.0; [30,40): 2 = 8.0
SELECT STREAM auction, TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, TUMBLE_END(ts, INTERVAL '10' SECOND) AS we,
  COUNT(*) AS n, SUM(price) AS total
FROM bids
GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND);
> rows unordered
auction | ws | we | n | total
1 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 3 | 9.0
2 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 1 | 4.0
1 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1 | 5.0
2 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1 | 3.0
2 | 2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 1 | 8.0

SELECT STREAM window_start, window_end, auction, COUNT(*) AS n, SUM(price) AS total
FROM TABLE(TUMBLE(DATA => TABLE bids, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '10' SECOND))
GROUP BY window_start, window_end, auction;
> rows unordered
window_start | window_end | auction | n | total
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 1 | 3 | 9.0
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 2 | 1 | 4.0
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1 | 1 | 5.0
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 2 | 1 | 3.0
2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 2 | 1 | 8.0

# Upper-case window columns, and an offset of 5 s: windows [-5,5), [5,15), [25,35).
SELECT STREAM WINDOW_START, WINDOW_END, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
> rows unordered
WINDOW_START | WINDOW_END | n
2024-01-01 09:59:55.000 | 2024-01-01 10:00:05.000 | 3
2024-01-01 10:00:05.000 | 2024-01-01 10:00:15.000 | 3
2024-01-01 10:00:25.000 | 2024-01-01 10:00:35.000 | 1

# Expressions over the window results, and HAVING.
SELECT STREAM auction, EXTRACT(SECOND FROM TUMBLE_END(ts, INTERVAL '10' SECOND)) AS end_second, COUNT(*) * 10 AS n10
FROM bids
GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), auction
HAVING COUNT(*) > 1;
> rows
auction | end_second | n10
1 | 10 | 30
