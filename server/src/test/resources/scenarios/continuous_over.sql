# Aggregations OVER a window of preceding rows, on event time (Flink's over aggregation): each row is sent
# once the watermark passes it, with the aggregates of its frame. Expected rows worked out by hand from the
# readings below (seconds after 10:00:00), per sensor in time order (rows of equal time in file order):
#   s1: t1 10.0 | t3 30.0 | t3 50.0 | t62 40.0 | t64 70.0        s2: t2 20.0 | t65 40.0 | t66 10.0
@file readings.json
{"sensor": "s1", "temp": 10.0, "ts": "2024-01-01 10:00:01"}
{"sensor": "s2", "temp": 20.0, "ts": "2024-01-01 10:00:02"}
{"sensor": "s1", "temp": 30.0, "ts": "2024-01-01 10:00:03"}
{"sensor": "s1", "temp": 50.0, "ts": "2024-01-01 10:00:03"}
{"sensor": "s2", "temp": 40.0, "ts": "2024-01-01 10:01:05"}
{"sensor": "s1", "temp": 40.0, "ts": "2024-01-01 10:01:02"}
{"sensor": "s1", "temp": 70.0, "ts": "2024-01-01 10:01:04"}
{"sensor": "s2", "temp": 10.0, "ts": "2024-01-01 10:01:06"}
@end

# One per micro-batch, out of order: with the watermark 1 s behind the latest time, the row at 3 s comes
# when the watermark is at 4 s: late.
@file late.json
{"sensor": "s1", "temp": 1.0, "ts": "2024-01-01 10:00:01"}
{"sensor": "s1", "temp": 2.0, "ts": "2024-01-01 10:00:05"}
{"sensor": "s1", "temp": 3.0, "ts": "2024-01-01 10:00:03"}
{"sensor": "s1", "temp": 4.0, "ts": "2024-01-01 10:00:06"}
@end

CREATE STREAM readings (sensor VARCHAR, temp DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/readings.json', 'format' = 'json');
> ok

CREATE STREAM late_readings (sensor VARCHAR, temp DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/late.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# RANGE of one minute: a row's frame is its sensor's rows at most 60 s older, and its peers of equal time.
# s1 at 3 s: 10 + 30 + 50 (both rows at 3 s see each other); at 62 s the rows from 2 s on: 30 + 50 + 40; at
# 64 s from 4 s on: 40 + 70. s2 at 65 s: only itself (2 s is 63 s before); at 66 s: 40 + 10.
SELECT STREAM sensor, ts, temp, SUM(temp) OVER w AS total, COUNT(*) OVER w AS n, MIN(temp) OVER w AS lo,
  MAX(temp) OVER w AS hi, AVG(temp) OVER w AS mean
FROM readings
WINDOW w AS (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW);
> rows unordered
sensor | ts | temp | total | n | lo | hi | mean
s1 | 2024-01-01 10:00:01.000 | 10.0 | 10.0 | 1 | 10.0 | 10.0 | 10.0
s1 | 2024-01-01 10:00:03.000 | 30.0 | 90.0 | 3 | 10.0 | 50.0 | 30.0
s1 | 2024-01-01 10:00:03.000 | 50.0 | 90.0 | 3 | 10.0 | 50.0 | 30.0
s1 | 2024-01-01 10:01:02.000 | 40.0 | 120.0 | 3 | 30.0 | 50.0 | 40.0
s1 | 2024-01-01 10:01:04.000 | 70.0 | 110.0 | 2 | 40.0 | 70.0 | 55.0
s2 | 2024-01-01 10:00:02.000 | 20.0 | 20.0 | 1 | 20.0 | 20.0 | 20.0
s2 | 2024-01-01 10:01:05.000 | 40.0 | 40.0 | 1 | 40.0 | 40.0 | 40.0
s2 | 2024-01-01 10:01:06.000 | 10.0 | 50.0 | 2 | 10.0 | 40.0 | 25.0

# ROWS: the row and the one before it, rows of equal time one at a time, in the order they came.
SELECT STREAM sensor, temp, SUM(temp) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair,
  MAX(temp) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS hi
FROM readings;
> rows unordered
sensor | temp | pair | hi
s1 | 10.0 | 10.0 | 10.0
s1 | 30.0 | 40.0 | 30.0
s1 | 50.0 | 80.0 | 50.0
s1 | 40.0 | 90.0 | 50.0
s1 | 70.0 | 110.0 | 70.0
s2 | 20.0 | 20.0 | 20.0
s2 | 40.0 | 60.0 | 40.0
s2 | 10.0 | 50.0 | 40.0

# Unbounded: ORDER BY alone means RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (a running count, peers
# alike), kept per sensor until 'state.ttl' forgets an idle one. WHERE filters the rows before the window
# (s1's 10.0 and s2's 10.0 are not counted); expressions of the results apply after it.
SELECT STREAM sensor, temp, COUNT(*) OVER (PARTITION BY sensor ORDER BY ts) AS so_far,
  temp - MIN(temp) OVER (PARTITION BY sensor ORDER BY ts) AS above_lowest
FROM readings WHERE temp > 15;
> rows unordered
sensor | temp | so_far | above_lowest
s1 | 30.0 | 2 | 0.0
s1 | 50.0 | 2 | 20.0
s1 | 40.0 | 3 | 10.0
s1 | 70.0 | 4 | 40.0
s2 | 20.0 | 1 | 0.0
s2 | 40.0 | 2 | 20.0

SET 'source.max-batch-rows' = '1';
> ok

# Late rows are dropped and counted as a window aggregation's are: the row at 3 s.
SELECT STREAM temp, COUNT(*) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS n
FROM late_readings;
> rows
temp | n
1.0 | 1
2.0 | 2
4.0 | 3

SELECT rows_in, rows_out, late_rows FROM sys.queries ORDER BY started DESC LIMIT 1;
> rows
rows_in | rows_out | late_rows
4 | 3 | 1

RESET 'source.max-batch-rows';
> ok

# What a stream cannot do is refused at the OVER clause.
SELECT STREAM SUM(temp) OVER (PARTITION BY sensor ORDER BY temp) FROM readings;
> error 0A000 line 1, column 15: 'temp' is not the stream's event-time column

SELECT STREAM SUM(temp) OVER (PARTITION BY sensor ORDER BY ts DESC) FROM readings;
> error 0A000 order ascending (ORDER BY ts)

SELECT STREAM SUM(temp) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM readings;
> error 0A000 end the frame at CURRENT ROW

SELECT STREAM SUM(temp) OVER (PARTITION BY sensor ORDER BY ts), COUNT(*) OVER (ORDER BY ts) FROM readings;
> error 0A000 These OVER clauses differ

SELECT STREAM SUM(temp) OVER (PARTITION BY sensor) FROM readings;
> error 0A000 an OVER clause without ORDER BY

# An alert: the readings more than 5 above the average of themselves and the reading before them (a
# condition on an OVER's result filters after it). s1: 30 vs 20, 50 vs 40, 70 vs 55; s2: 40 vs 30.
SELECT STREAM sensor, ts, temp, mean
FROM (SELECT sensor, ts, temp, AVG(temp) OVER (PARTITION BY sensor ORDER BY ts
        ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS mean FROM readings)
WHERE temp > mean + 5;
> rows unordered
sensor | ts | temp | mean
s1 | 2024-01-01 10:00:03.000 | 30.0 | 20.0
s1 | 2024-01-01 10:00:03.000 | 50.0 | 40.0
s1 | 2024-01-01 10:01:04.000 | 70.0 | 55.0
s2 | 2024-01-01 10:01:05.000 | 40.0 | 30.0
