# OVER aggregations keep their state across a restart: the rows waiting for the watermark and the frames'
# rows. Expected rows worked out by hand (seconds after 10:00:00; watermark = latest ts - 1 s). Before the
# restart the watermark reaches 9 s: s1's rows at 1, 2, 3 s and s2's at 3 s are sent; s1's at 10 s waits,
# held in the checkpoint. The sinks are file sinks, whose part files become visible at checkpoints.
@file readings/part-1.json
{"sensor": "s1", "temp": 1.0, "ts": "2024-01-01 10:00:01"}
{"sensor": "s1", "temp": 2.0, "ts": "2024-01-01 10:00:02"}
{"sensor": "s1", "temp": 4.0, "ts": "2024-01-01 10:00:03"}
{"sensor": "s2", "temp": 10.0, "ts": "2024-01-01 10:00:03"}
{"sensor": "s1", "temp": 8.0, "ts": "2024-01-01 10:00:10"}
@end

CREATE STREAM readings (sensor VARCHAR, temp DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/readings', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

CREATE STREAM last_three (sensor VARCHAR, temp DOUBLE, total DOUBLE)
WITH ('connector' = 'file', 'path' = '${dir}/last_three', 'format' = 'json');
> ok

CREATE STREAM last_three_files (sensor VARCHAR, temp DOUBLE, total DOUBLE)
WITH ('connector' = 'file', 'path' = '${dir}/last_three', 'glob' = 'part-*', 'format' = 'json');
> ok

CREATE STREAM last_ten_seconds (sensor VARCHAR, temp DOUBLE, total DOUBLE)
WITH ('connector' = 'file', 'path' = '${dir}/last_ten_seconds', 'format' = 'json');
> ok

CREATE STREAM last_ten_seconds_files (sensor VARCHAR, temp DOUBLE, total DOUBLE)
WITH ('connector' = 'file', 'path' = '${dir}/last_ten_seconds', 'glob' = 'part-*', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

INSERT INTO last_three
SELECT STREAM sensor, temp, SUM(temp) OVER (PARTITION BY sensor ORDER BY ts ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)
FROM readings;
> ok

INSERT INTO last_ten_seconds
SELECT STREAM sensor, temp, SUM(temp) OVER (PARTITION BY sensor ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW)
FROM readings;
> ok

SELECT sensor, temp, total FROM last_three_files ORDER BY sensor, temp;
> rows eventually
sensor | temp | total
s1 | 1.0 | 1.0
s1 | 2.0 | 3.0
s1 | 4.0 | 7.0
s2 | 10.0 | 10.0

SELECT sensor, temp, total FROM last_ten_seconds_files ORDER BY sensor, temp;
> rows eventually
sensor | temp | total
s1 | 1.0 | 1.0
s1 | 2.0 | 3.0
s1 | 4.0 | 7.0
s2 | 10.0 | 10.0

@restart

# The first file is gone: what the queries know of it comes from their checkpoints. s2's row at 12 s
# moves the watermark to 11 s, s1's at 20 s to 19 s: s1's rows at 10 s (from the checkpoint) and 11 s and
# s2's at 12 s are sent. Last three rows: s1 2 + 4 + 8, 4 + 8 + 16; s2 10 + 20. Last ten seconds: s1 at
# 10 s 1 + 2 + 4 + 8, at 11 s 1 + 2 + 4 + 8 + 16 (1 s is 10 s before: still in); s2 at 12 s 10 + 20.
@delete readings/part-1.json

@add readings/part-2.json
{"sensor": "s1", "temp": 16.0, "ts": "2024-01-01 10:00:11"}
{"sensor": "s2", "temp": 20.0, "ts": "2024-01-01 10:00:12"}
{"sensor": "s1", "temp": 32.0, "ts": "2024-01-01 10:00:20"}
@end

SELECT sensor, temp, total FROM last_three_files ORDER BY sensor, temp;
> rows eventually
sensor | temp | total
s1 | 1.0 | 1.0
s1 | 2.0 | 3.0
s1 | 4.0 | 7.0
s1 | 8.0 | 14.0
s1 | 16.0 | 28.0
s2 | 10.0 | 10.0
s2 | 20.0 | 30.0

SELECT sensor, temp, total FROM last_ten_seconds_files ORDER BY sensor, temp;
> rows eventually
sensor | temp | total
s1 | 1.0 | 1.0
s1 | 2.0 | 3.0
s1 | 4.0 | 7.0
s1 | 8.0 | 15.0
s1 | 16.0 | 31.0
s2 | 10.0 | 10.0
s2 | 20.0 | 30.0
