# Cumulating windows (step 5 s, max size 10 s): windows [k*10, k*10 + 5) and [k*10, k*10 + 10).
# Rows (seconds after 10:00:00): a1 t1 2.0, a2 t3 4.0, a1 t2 6.0, a1 t7 1.0, a2 t12 3.0, a1 t14 5.0,
# a2 t31 8.0. Expected rows counted by hand (windows without rows are not emitted, as in Flink).
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

# [0,5): 2.0 + 4.0 + 6.0; [0,10): + 1.0; [10,15) = [10,20): 3.0 + 5.0; [30,35) = [30,40): 8.0
SELECT STREAM window_start, window_end, COUNT(*) AS n, SUM(price) AS total
FROM TABLE(CUMULATE(TABLE bids, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> rows unordered
window_start | window_end | n | total
2024-01-01 10:00:00.000 | 2024-01-01 10:00:05.000 | 3 | 12.0
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 4 | 13.0
2024-01-01 10:00:10.000 | 2024-01-01 10:00:15.000 | 2 | 8.0
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 2 | 8.0
2024-01-01 10:00:30.000 | 2024-01-01 10:00:35.000 | 1 | 8.0
2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 1 | 8.0

# Per auction. 1: t1 2.0, t2 6.0, t7 1.0, t14 5.0; 2: t3 4.0, t12 3.0, t31 8.0.
SELECT STREAM auction, window_start, window_end, COUNT(*) AS n, SUM(price) AS total
FROM TABLE(CUMULATE(DATA => TABLE bids, TIMECOL => DESCRIPTOR(ts), STEP => INTERVAL '5' SECOND, SIZE => INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
> rows unordered
auction | window_start | window_end | n | total
1 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:05.000 | 2 | 8.0
1 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 3 | 9.0
1 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:15.000 | 1 | 5.0
1 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1 | 5.0
2 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:05.000 | 1 | 4.0
2 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 1 | 4.0
2 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:15.000 | 1 | 3.0
2 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1 | 3.0
2 | 2024-01-01 10:00:30.000 | 2024-01-01 10:00:35.000 | 1 | 8.0
2 | 2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 1 | 8.0

SELECT STREAM COUNT(*) FROM TABLE(CUMULATE(TABLE bids, DESCRIPTOR(ts), INTERVAL '3' SECOND, INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> error 0A000 multiple of its step
