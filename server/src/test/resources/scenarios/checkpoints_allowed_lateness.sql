# A materialized view with an allowed lateness keeps its fired windows' state that long after they
# fired, across a restart (checkpointed with the rest of its state): a late row within it replaces its
# window's row with the corrected one; a row later than that is late, and counted.
# Watermark: ts - 1 s; 10 s tumbling windows, allowed lateness 5 s.
@file events/part-1.json
{"url": "/a", "ts": "2024-01-01 10:00:01"}
{"url": "/b", "ts": "2024-01-01 10:00:02"}
{"url": "/a", "ts": "2024-01-01 10:00:12"}
@end

CREATE STREAM ev (url VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/events', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

# Watermark 10:00:11: [10:00:00, 10:00:10) has fired, and is kept until the watermark reaches 10:00:14.999.
CREATE MATERIALIZED VIEW hits WITH ('allowed-lateness' = '5 s') AS
SELECT window_start, url, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, url;
> ok

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM hits ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 1
2024-01-01 10:00:00 | /b | 1
2024-01-01 10:00:10 | /a | 1

SELECT COUNT(*) > 0 AS checkpointed FROM sys.checkpoints WHERE query_id = 'view:hits';
> rows eventually
checkpointed
true

@restart

# After the restart: /b 10:00:04 is late (its window fired) but within the lateness: its row is corrected.
# Then the watermark moves to 10:00:15, past the lateness of [10:00:00, 10:00:10).
@add events/part-2.json
{"url": "/b", "ts": "2024-01-01 10:00:04"}
{"url": "/a", "ts": "2024-01-01 10:00:16"}
@end

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM hits ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 1
2024-01-01 10:00:00 | /b | 2
2024-01-01 10:00:10 | /a | 2

# /a 10:00:03 comes after the window was freed: late, and the view keeps its row.
@add events/part-3.json
{"url": "/a", "ts": "2024-01-01 10:00:03"}
{"url": "/c", "ts": "2024-01-01 10:00:18"}
@end

SELECT CAST(window_start AS VARCHAR) AS w, url, n FROM hits ORDER BY w, url;
> rows eventually
w | url | n
2024-01-01 10:00:00 | /a | 1
2024-01-01 10:00:00 | /b | 2
2024-01-01 10:00:10 | /a | 2
2024-01-01 10:00:10 | /c | 1

SELECT late_rows FROM sys.queries WHERE query_id = 'view:hits';
> rows eventually
late_rows
1

DROP MATERIALIZED VIEW hits;
> ok
