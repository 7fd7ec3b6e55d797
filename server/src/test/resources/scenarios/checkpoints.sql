# State survives restarts through checkpoints: after a restart, views continue from their last
# checkpoint instead of reading their sources anew, so rows whose input files are gone by then
# (deleted, or past a retention period) still count, and new input adds to the restored state.
@file events/part-1.json
{"url": "/a", "ts": "2024-01-01 10:00:01"}
{"url": "/b", "ts": "2024-01-01 10:00:02"}
{"url": "/a", "ts": "2024-01-01 10:00:05"}
{"url": "/a", "ts": "2024-01-01 10:00:12"}
{"url": "/c", "ts": "2024-01-01 10:00:13"}
@end

CREATE STREAM ev (url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/events', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

# A windowed view: the first window closed, the second still open when the server stops.
CREATE MATERIALIZED VIEW hits AS
SELECT window_start, window_end, url, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, url;
> ok

# Totals without a window: state that never expires by itself.
CREATE MATERIALIZED VIEW totals AS SELECT url, COUNT(*) AS n FROM ev GROUP BY url;
> ok

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM hits ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 2
2024-01-01 10:00:00 | /b | 1
2024-01-01 10:00:10 | /a | 1
2024-01-01 10:00:10 | /c | 1

SELECT url, n FROM totals ORDER BY url;
> rows eventually
url | n
/a | 3
/b | 1
/c | 1

SELECT COUNT(*) > 0 AS checkpointed FROM sys.checkpoints WHERE query_id = 'view:hits';
> rows eventually
checkpointed
true

@restart

# The first file is gone: a view that read its sources anew would lose its rows.
@delete events/part-1.json

@add events/part-2.json
{"url": "/a", "ts": "2024-01-01 10:00:14"}
{"url": "/c", "ts": "2024-01-01 10:00:15"}
{"url": "/b", "ts": "2024-01-01 10:00:21"}
@end

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM hits ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 2
2024-01-01 10:00:00 | /b | 1
2024-01-01 10:00:10 | /a | 2
2024-01-01 10:00:10 | /c | 2
2024-01-01 10:00:20 | /b | 1

SELECT url, n FROM totals ORDER BY url;
> rows eventually
url | n
/a | 4
/b | 2
/c | 2

SELECT query_id, last_checkpoint IS NOT NULL AS restored_and_checkpointing, checkpoint_problem FROM sys.queries
WHERE query_id = 'view:totals';
> rows eventually
query_id | restored_and_checkpointing | checkpoint_problem
view:totals | true | null

DROP MATERIALIZED VIEW hits;
> ok

DROP MATERIALIZED VIEW totals;
> ok
