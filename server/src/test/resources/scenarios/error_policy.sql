# Bad records follow the stream's 'on-error' policy: fail, skip, or dead-letter (kept in sys.dead_letters).
@file events.json
{"id": 1, "amount": 10, "ts": "2024-03-01 00:00:00"}
{"id": "two", "amount": 20, "ts": "2024-03-01 00:00:01"}
this is not json
{"id": 4, "amount": 40, "ts": "yesterday"}
{"id": 5, "amount": 50, "ts": "2024-03-01 00:00:05"}
@end

CREATE STREAM strict (id BIGINT, amount INT, ts TIMESTAMP(3)) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> ok

SELECT COUNT(*) AS n FROM strict;
> error 22P02 line 2

CREATE STREAM lenient (id BIGINT, amount INT, ts TIMESTAMP(3))
WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'on-error' = 'skip');
> ok

SELECT id, amount FROM lenient ORDER BY id;
> rows
id | amount
1 | 10
5 | 50

SELECT object_name, records_read, records_skipped, records_dead_lettered FROM sys.source_statistics WHERE object_name = 'lenient';
> rows
object_name | records_read | records_skipped | records_dead_lettered
lenient | 2 | 3 | 0

CREATE STREAM kept (id BIGINT, amount INT, ts TIMESTAMP(3))
WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'on-error' = 'dead-letter');
> ok

SELECT SUM(amount) AS total FROM kept;
> rows
total
60

SELECT raw FROM sys.dead_letters WHERE object_name = 'kept' ORDER BY raw;
> rows
raw
this is not json
{"id": "two", "amount": 20, "ts": "2024-03-01 00:00:01"}
{"id": 4, "amount": 40, "ts": "yesterday"}

# Dead letters survive a restart; dropping the stream deletes them.
@restart

SELECT COUNT(*) AS n FROM sys.dead_letters WHERE object_name = 'kept';
> rows
n
3

DROP STREAM kept;
> ok

SELECT COUNT(*) AS n FROM sys.dead_letters WHERE object_name = 'kept';
> rows
n
0
