# Every aggregate of windowed aggregation, with NULLs, FILTER and HAVING, over 10 s tumbling windows.
# [0,10): (a, 1.0, k 1), (b, 3.0, k 2), (a, NULL, k 2); [10,20): (a, 2.0, 1), (b, 4.0, 3), (c, 6.0, 3);
# [20,30): (b, NULL, 5). Expected values computed by hand.
@file readings.json
{"sensor": "a", "v": 1.0, "k": 1, "ts": "2024-01-01 10:00:01"}
{"sensor": "b", "v": 3.0, "k": 2, "ts": "2024-01-01 10:00:02"}
{"sensor": "a", "v": null, "k": 2, "ts": "2024-01-01 10:00:03"}
{"sensor": "a", "v": 2.0, "k": 1, "ts": "2024-01-01 10:00:11"}
{"sensor": "b", "v": 4.0, "k": 3, "ts": "2024-01-01 10:00:12"}
{"sensor": "c", "v": 6.0, "k": 3, "ts": "2024-01-01 10:00:13"}
{"sensor": "b", "v": null, "k": 5, "ts": "2024-01-01 10:00:25"}
@end

CREATE STREAM readings (sensor VARCHAR, v DOUBLE, k BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/readings.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SELECT STREAM window_start, COUNT(*) AS n, COUNT(v) AS n_v, COUNT(DISTINCT k) AS keys, SUM(v) AS total, MIN(v) AS lo,
  MAX(v) AS hi, AVG(v) AS mean, APPROX_COUNT_DISTINCT(k) AS approx_keys, SUM(v) FILTER (WHERE sensor = 'a') AS total_a,
  COUNT(*) FILTER (WHERE v > 1.5) AS above, MIN(sensor) AS first_sensor, MAX(sensor) AS last_sensor
FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> rows unordered
window_start | n | n_v | keys | total | lo | hi | mean | approx_keys | total_a | above | first_sensor | last_sensor
2024-01-01 10:00:00.000 | 3 | 2 | 2 | 4.0 | 1.0 | 3.0 | 2.0 | 2 | 1.0 | 1 | a | b
2024-01-01 10:00:10.000 | 3 | 3 | 2 | 12.0 | 2.0 | 6.0 | 4.0 | 2 | 2.0 | 3 | a | c
2024-01-01 10:00:20.000 | 1 | 0 | 1 | null | null | null | null | 1 | null | 0 | b | b

# Population variance of {1, 3}: 1; the window is picked by HAVING.
SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, VAR_POP(v) AS vp, STDDEV_POP(v) AS sp
FROM readings
GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)
HAVING COUNT(v) = 2;
> rows
ws | vp | sp
2024-01-01 10:00:00.000 | 1.0 | 1.0

# Sample variance of {2, 4, 6}: 4.
SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, VAR_SAMP(v) AS vs, STDDEV_SAMP(v) AS ss
FROM readings
GROUP BY TUMBLE(ts, INTERVAL '10' SECOND)
HAVING COUNT(v) = 3;
> rows
ws | vs | ss
2024-01-01 10:00:10.000 | 4.0 | 2.0

# Sample variance of one value is NULL; of no values NULL too.
SELECT STREAM sensor, TUMBLE_START(ts, INTERVAL '10' SECOND) AS ws, VAR_SAMP(v) AS vs, VAR_POP(v) AS vp
FROM readings
WHERE sensor = 'c' OR (sensor = 'b' AND v IS NULL)
GROUP BY sensor, TUMBLE(ts, INTERVAL '10' SECOND);
> rows unordered
sensor | ws | vs | vp
c | 2024-01-01 10:00:10.000 | null | 0.0
b | 2024-01-01 10:00:20.000 | null | null
