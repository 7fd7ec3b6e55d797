# Interval values as results: literals, differences of timestamps (PostgreSQL's ts - ts), interval
# arithmetic, in plain queries and continuous ones. JDBC reads them as Avatica's interval accessors print
# them: "+<days> <hh:mm:ss.fff>" (day-time), "+<years>-<months>" (year-month).
SELECT INTERVAL '90' MINUTE AS m, INTERVAL '1' DAY + INTERVAL '2' HOUR AS d, -INTERVAL '5' SECOND AS neg,
  INTERVAL '1-2' YEAR TO MONTH AS ym, INTERVAL '3' MONTH AS mo;
> rows
m | d | neg | ym | mo
+0 01:30:00.000 | +1 02:00:00.000 | -0 00:00:05.000 | +1-02 | +0-03

SELECT TIMESTAMP '2024-01-02 12:00:00' - TIMESTAMP '2024-01-01 10:00:00.250' AS diff,
  TIME '10:00:00' - TIME '09:30:00' AS t, (TIMESTAMP '2024-01-02 12:00:00' - TIMESTAMP '2024-01-01 10:00:00') HOUR AS h;
> rows
diff | t | h
+1 01:59:59.750 | +0 00:30:00.000 | +1 02:00:00.000

SELECT CAST(NULL AS TIMESTAMP) - TIMESTAMP '2024-01-01 00:00:00' AS n, INTERVAL '2' HOUR * 3 AS x, INTERVAL '1' HOUR / 4 AS q;
> rows
n | x | q
null | +0 06:00:00.000 | +0 00:15:00.000

# Comparisons and ordering of intervals, and grouping by one.
SELECT b - a AS d, COUNT(*) AS n FROM (VALUES (TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-01 10:01:00'),
  (TIMESTAMP '2024-01-01 11:00:00', TIMESTAMP '2024-01-01 11:01:00'), (TIMESTAMP '2024-01-01 11:00:00', TIMESTAMP '2024-01-01 11:00:30'))
  AS t (a, b) GROUP BY b - a ORDER BY d DESC;
> rows
d | n
+0 00:01:00.000 | 2
+0 00:00:30.000 | 1

SELECT b - a AS d FROM (VALUES (TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-01 10:01:00'),
  (TIMESTAMP '2024-01-01 11:00:00', TIMESTAMP '2024-01-01 11:00:30')) AS t (a, b) WHERE b - a < INTERVAL '1' MINUTE;
> rows
d
+0 00:00:30.000

@file bids.json
{"auction": 1, "price": 2.0, "ts": "2024-01-01 10:00:01"}
{"auction": 2, "price": 4.0, "ts": "2024-01-01 10:00:03"}
{"auction": 1, "price": 6.0, "ts": "2024-01-01 10:00:02.500"}
{"auction": 1, "price": 1.0, "ts": "2024-01-01 10:00:07"}
{"auction": 2, "price": 3.0, "ts": "2024-01-01 10:00:12"}
{"auction": 2, "price": 8.0, "ts": "2024-01-01 10:01:31"}
@end

CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# A continuous projection computing intervals per row, and filtering on one.
SELECT STREAM auction, ts - TIMESTAMP '2024-01-01 10:00:00' AS since, ts + INTERVAL '1' MINUTE AS later
FROM bids WHERE ts - TIMESTAMP '2024-01-01 10:00:00' > INTERVAL '5' SECOND;
> rows unordered
auction | since | later
1 | +0 00:00:07.000 | 2024-01-01 10:01:07.000
2 | +0 00:00:12.000 | 2024-01-01 10:01:12.000
2 | +0 00:01:31.000 | 2024-01-01 10:02:31.000

# Window lengths and spans within windows, in both window syntaxes.
SELECT STREAM window_start, window_end - window_start AS len, MAX(ts) - MIN(ts) AS span, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> rows unordered
window_start | len | span | n
2024-01-01 10:00:00.000 | +0 00:00:10.000 | +0 00:00:06.000 | 4
2024-01-01 10:00:10.000 | +0 00:00:10.000 | +0 00:00:00.000 | 1
2024-01-01 10:01:30.000 | +0 00:00:10.000 | +0 00:00:00.000 | 1

SELECT STREAM auction, TUMBLE_END(ts, INTERVAL '1' MINUTE) - TUMBLE_START(ts, INTERVAL '1' MINUTE) AS len,
  TUMBLE_END(ts, INTERVAL '1' MINUTE) - MIN(ts) AS to_end
FROM bids GROUP BY auction, TUMBLE(ts, INTERVAL '1' MINUTE);
> rows unordered
auction | len | to_end
1 | +0 00:01:00.000 | +0 00:00:59.000
2 | +0 00:01:00.000 | +0 00:00:57.000
2 | +0 00:01:00.000 | +0 00:00:29.000

# Views and materialized views keep interval columns; a materialized view's survive a restart.
CREATE VIEW ages AS SELECT auction, ts - TIMESTAMP '2024-01-01 10:00:00' AS since FROM bids;
> ok

SELECT auction, since FROM ages WHERE since > INTERVAL '10' SECOND ORDER BY since;
> rows
auction | since
2 | +0 00:00:12.000
2 | +0 00:01:31.000

CREATE MATERIALIZED VIEW spans AS SELECT window_start, window_end - window_start AS len, MAX(ts) - MIN(ts) AS span
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end;
> ok

SELECT window_start, len, span FROM spans ORDER BY window_start;
> rows eventually
window_start | len | span
2024-01-01 10:00:00.000 | +0 00:00:10.000 | +0 00:00:06.000
2024-01-01 10:00:10.000 | +0 00:00:10.000 | +0 00:00:00.000
2024-01-01 10:01:30.000 | +0 00:00:10.000 | +0 00:00:00.000

@restart

SELECT window_start, len, span FROM spans WHERE span > INTERVAL '1' SECOND;
> rows eventually
window_start | len | span
2024-01-01 10:00:00.000 | +0 00:00:10.000 | +0 00:00:06.000

# Streams and tables hold no interval columns: the error says what to store instead.
CREATE STREAM durations (d INTERVAL DAY TO SECOND) WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> error 0A000 INTERVAL
