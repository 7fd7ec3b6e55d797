# Views run as 'parallelism' tasks and checkpoint their state by key group: a view created with
# 'parallelism' = '3' keeps it across a restart (the setting is stored with it) and continues from its
# checkpoint, as does one at the server's default; their rows are those of one task.
@file clicks/part-1.json
{"url": "/a", "ts": "2024-01-01 10:00:01"}
{"url": "/b", "ts": "2024-01-01 10:00:02"}
{"url": "/c", "ts": "2024-01-01 10:00:03"}
{"url": "/a", "ts": "2024-01-01 10:00:05"}
{"url": "/d", "ts": "2024-01-01 10:00:12"}
{"url": "/a", "ts": "2024-01-01 10:00:13"}
@end

CREATE STREAM clicks (url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

# At the server's default parallelism.
CREATE MATERIALIZED VIEW url_totals AS SELECT url, COUNT(*) AS n FROM clicks GROUP BY url;
> ok

SET 'parallelism' = '3';
> ok

CREATE MATERIALIZED VIEW url_windows AS
SELECT window_start, url, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, url;
> ok

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM url_windows ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 2
2024-01-01 10:00:00 | /b | 1
2024-01-01 10:00:00 | /c | 1
2024-01-01 10:00:10 | /a | 1
2024-01-01 10:00:10 | /d | 1

SELECT url, n FROM url_totals ORDER BY url;
> rows eventually
url | n
/a | 3
/b | 1
/c | 1
/d | 1

SELECT parallelism, last_checkpoint IS NOT NULL AS checkpointed FROM sys.queries WHERE query_id = 'view:url_windows';
> rows eventually
parallelism | checkpointed
3 | true

SELECT last_checkpoint IS NOT NULL AS checkpointed FROM sys.queries WHERE query_id = 'view:url_totals';
> rows eventually
checkpointed
true

@restart

# The first file is gone: the views continue from their checkpoints, not from their sources.
@delete clicks/part-1.json

@add clicks/part-2.json
{"url": "/a", "ts": "2024-01-01 10:00:14"}
{"url": "/d", "ts": "2024-01-01 10:00:15"}
{"url": "/b", "ts": "2024-01-01 10:00:22"}
@end

SELECT parallelism FROM sys.queries WHERE query_id = 'view:url_windows';
> rows eventually
parallelism
3

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM url_windows ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 2
2024-01-01 10:00:00 | /b | 1
2024-01-01 10:00:00 | /c | 1
2024-01-01 10:00:10 | /a | 2
2024-01-01 10:00:10 | /d | 2
2024-01-01 10:00:20 | /b | 1

SELECT url, n FROM url_totals ORDER BY url;
> rows eventually
url | n
/a | 4
/b | 2
/c | 1
/d | 2

DROP MATERIALIZED VIEW url_windows;
> ok

DROP MATERIALIZED VIEW url_totals;
> ok
