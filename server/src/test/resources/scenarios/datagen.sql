# datagen: deterministic synthetic rows; bounded with 'number-of-rows'.
CREATE STREAM numbers (id BIGINT, bucket INT, ts TIMESTAMP(3))
WITH ('connector' = 'datagen', 'number-of-rows' = '100', 'rows-per-second' = '0', 'seed' = '7',
      'fields.id.kind' = 'sequence', 'fields.id.start' = '1',
      'fields.bucket.kind' = 'random', 'fields.bucket.min' = '0', 'fields.bucket.max' = '9',
      'start-time' = '2024-01-01 00:00:00');
> ok

SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi, SUM(id) AS total FROM numbers;
> rows
n | lo | hi | total
100 | 1 | 100 | 5050

SELECT COUNT(*) AS outside FROM numbers WHERE bucket < 0 OR bucket > 9;
> rows
outside
0

CREATE STREAM weblogs (ip VARCHAR, "user" VARCHAR, method VARCHAR, url VARCHAR, status INT, bytes BIGINT, latency INT, ts TIMESTAMP(3))
WITH ('connector' = 'datagen', 'profile' = 'weblogs', 'number-of-rows' = '500', 'rows-per-second' = '0', 'seed' = '1');
> ok

SELECT COUNT(*) AS n, COUNT(DISTINCT method) > 1 AS several_methods, MIN(status) >= 100 AND MAX(status) < 600 AS valid_status FROM weblogs;
> rows
n | several_methods | valid_status
500 | true | true

# An unbounded datagen stream answers probes, refuses a plain SELECT.
CREATE STREAM live (id BIGINT) WITH ('connector' = 'datagen');
> ok

SELECT * FROM live WHERE 1 <> 1 LIMIT 0;
> rows
id

SELECT * FROM live;
> error 0A000 SELECT STREAM

CREATE STREAM bad (id BIGINT) WITH ('connector' = 'datagen', 'fields.nope.kind' = 'sequence');
> error 42000 fields.nope.kind

CREATE STREAM bad (ip VARCHAR, nope INT) WITH ('connector' = 'datagen', 'profile' = 'weblogs');
> error 42S22 nope
