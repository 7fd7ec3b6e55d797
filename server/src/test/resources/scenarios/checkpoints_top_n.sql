# Persistent deduplication and window Top-N keep their state across a restart. Expected rows worked out
# by hand (seconds after 10:00:00; watermark = latest ts - 1 s; a window [s,e) fires once the watermark
# reaches e - 1 ms). Before the restart: u1 t1, u2 t2, u1 t3, u3 t10.5, u2 t11 (watermark 10 s): u1's
# and u2's first logins are sent, u3's (10.5 s) waits for the watermark; [0,10) fired, [10,20) is open. The sinks are file sinks, whose part files become visible at checkpoints.
@file logins/part-1.json
{"user_name": "u1", "device": "d1", "ts": "2024-01-01 10:00:01"}
{"user_name": "u2", "device": "d2", "ts": "2024-01-01 10:00:02"}
{"user_name": "u1", "device": "d3", "ts": "2024-01-01 10:00:03"}
{"user_name": "u3", "device": "d4", "ts": "2024-01-01 10:00:10.500"}
{"user_name": "u2", "device": "d9", "ts": "2024-01-01 10:00:11"}
@end

CREATE STREAM logins (user_name VARCHAR, device VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/logins', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

CREATE STREAM first_logins (user_name VARCHAR, device VARCHAR)
WITH ('connector' = 'file', 'path' = '${dir}/first', 'format' = 'json');
> ok

CREATE STREAM first_logins_files (user_name VARCHAR, device VARCHAR)
WITH ('connector' = 'file', 'path' = '${dir}/first', 'glob' = 'part-*', 'format' = 'json');
> ok

CREATE STREAM busiest (window_start TIMESTAMP(3), user_name VARCHAR, n BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/busiest', 'format' = 'json');
> ok

CREATE STREAM busiest_files (window_start TIMESTAMP(3), user_name VARCHAR, n BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/busiest', 'glob' = 'part-*', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

INSERT INTO first_logins
SELECT STREAM user_name, device
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_name ORDER BY ts) AS rn FROM logins)
WHERE rn = 1;
> ok

# The user with the most logins per 10 s window (ties by name).
INSERT INTO busiest
SELECT STREAM window_start, user_name, n
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, user_name) AS rn
  FROM (
    SELECT window_start, window_end, user_name, COUNT(*) AS n
    FROM TABLE(TUMBLE(TABLE logins, DESCRIPTOR(ts), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end, user_name))
WHERE rn <= 1;
> ok

# Each user's latest device, kept by a materialized view (keep-last deduplication).
CREATE MATERIALIZED VIEW last_device AS
SELECT user_name, device
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY user_name ORDER BY ts DESC) AS rn FROM logins)
WHERE rn = 1;
> ok

SELECT user_name, device FROM first_logins_files ORDER BY user_name;
> rows eventually
user_name | device
u1 | d1
u2 | d2

SELECT user_name, device FROM last_device ORDER BY user_name;
> rows eventually
user_name | device
u1 | d3
u2 | d9
u3 | d4

# [0,10): u1 2 logins, u2 1.
SELECT CAST(window_start AS VARCHAR) AS w, user_name, n FROM busiest_files ORDER BY w;
> rows eventually
w | user_name | n
2024-01-01 10:00:00 | u1 | 2

@restart

# The first file is gone: what the queries know of it comes from their checkpoints. u1's and u3's later
# logins are not first ones; u3's first (10.5 s, held in the checkpoint) is sent once u4's login at 20 s
# moves the watermark to 19 s, u4's once u5's at 30 s moves it to 29 s, u5's when u6's at 41 s moves it
# to 40 s (u6's own waits). Windows: [10,20) fires at watermark 29 s: u3 2 (10.5 s from the checkpoint,
# 12 s), u1 1, u2 1; [20,30) u4 1 and [30,40) u5 1 fire at 40 s; [40,50) stays open.
@delete logins/part-1.json

@add logins/part-2.json
{"user_name": "u2", "device": "d11", "ts": "2024-01-01 10:00:01.500"}
{"user_name": "u1", "device": "d5", "ts": "2024-01-01 10:00:11"}
{"user_name": "u3", "device": "d6", "ts": "2024-01-01 10:00:12"}
{"user_name": "u4", "device": "d7", "ts": "2024-01-01 10:00:20"}
{"user_name": "u5", "device": "d8", "ts": "2024-01-01 10:00:30"}
{"user_name": "u6", "device": "d10", "ts": "2024-01-01 10:00:41"}
@end

# u2's login at 1.5 s is older than u2's latest (11 s, known only from the checkpoint): the view keeps d9.
# It is late for the windows and not u2's first login either.
SELECT user_name, device FROM last_device ORDER BY user_name;
> rows eventually
user_name | device
u1 | d5
u2 | d9
u3 | d6
u4 | d7
u5 | d8
u6 | d10

SELECT user_name, device FROM first_logins_files ORDER BY user_name;
> rows eventually
user_name | device
u1 | d1
u2 | d2
u3 | d4
u4 | d7
u5 | d8

SELECT CAST(window_start AS VARCHAR) AS w, user_name, n FROM busiest_files ORDER BY w;
> rows eventually
w | user_name | n
2024-01-01 10:00:00 | u1 | 2
2024-01-01 10:00:10 | u3 | 2
2024-01-01 10:00:20 | u4 | 1
2024-01-01 10:00:30 | u5 | 1

DROP MATERIALIZED VIEW last_device;
> ok
