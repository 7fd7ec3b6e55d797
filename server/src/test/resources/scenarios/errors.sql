# Every failure is an SQLException with a SQLSTATE and, for SQL, line and column; the connection stays usable.
@file events.json
{"id": 1}
@end

CREAT STREAM x;
> error 42000 line 1, column 1

CREATE STREAM s (id BIGINT) WITH ('connector' = 'nosuch');
> error 42000 Unknown connector 'nosuch'

CREATE STREAM s (id BIGINT) WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'colour' = 'red');
> error 42000 Unknown option 'colour'

CREATE STREAM s (id BIGINT) WITH ('connector' = 'file', 'paht' = '${dir}/events.json');
> error 42000 Did you mean 'path'?

CREATE STREAM s (id BIGINT) WITH ('connector' = 'file');
> error 42000 Missing required option 'path'

CREATE STREAM s (id BIGINT) WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'on-error' = 'ignore');
> error 22023 'on-error'

CREATE STREAM s (id BIGINT) WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'format' = 'xml');
> error 42000 xml

CREATE STREAM s (id BIGINT, id VARCHAR) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> error 42000 Duplicate column 'id'

CREATE STREAM s (id BIGINT, WATERMARK FOR nope AS nope - INTERVAL '1' SECOND) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> error 42S22 line 1, column 43

CREATE STREAM s (id BIGINT, WATERMARK FOR id AS id) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> error 42000 must be a TIMESTAMP

CREATE STREAM s (id BIGINT, doubled AS id * 2, bad AS nope + 1) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> error 42S22 nope

SELECT * FROM nowhere;
> error 42S02 line 1, column 15

SELECT nope FROM (VALUES (1)) AS t (a);
> error 42S22 line 1, column 8

SET 'batch.interval' = '5 ms';
> error 22023 at least 10 ms

SET 'no.such.property' = '1';
> error 22023 Unknown session property

# The connection still works after all of that.
CREATE STREAM s (id BIGINT, doubled AS id * 2) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> ok

SELECT id, doubled FROM s;
> rows
id | doubled
1 | 2
