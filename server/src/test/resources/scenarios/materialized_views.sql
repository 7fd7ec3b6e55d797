# Materialized views: the query runs on the server and keeps its result, which plain SELECTs read
# (as of one completed micro-batch). Over a bounded file the views end with the file's final result.
# Expected rows written by hand.
@file clicks.json
{"url": "/a", "bytes": 100, "ts": "2024-01-01 10:00:01"}
{"url": "/b", "bytes": 200, "ts": "2024-01-01 10:00:02"}
{"url": "/a", "bytes": 300, "ts": "2024-01-01 10:00:05"}
{"url": "/a", "bytes": 50, "ts": "2024-01-01 10:00:12"}
{"url": "/c", "bytes": 10, "ts": "2024-01-01 10:00:15"}
@end

CREATE STREAM clicks (url VARCHAR, bytes INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# A windowed view: one row per window and URL.
CREATE MATERIALIZED VIEW hits AS
SELECT window_start, window_end, url, COUNT(*) AS n, SUM(bytes) AS total
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, url;
> ok

SELECT url, n, total FROM hits WHERE window_start = TIMESTAMP '2024-01-01 10:00:00' ORDER BY url;
> rows eventually
url | n | total
/a | 2 | 400
/b | 1 | 200

SELECT window_end, url, n FROM hits ORDER BY window_end, url;
> rows eventually
window_end | url | n
2024-01-01 10:00:10.000 | /a | 2
2024-01-01 10:00:10.000 | /b | 1
2024-01-01 10:00:20.000 | /a | 1
2024-01-01 10:00:20.000 | /c | 1

# Full SQL over a view: aggregates, joins with other views.
SELECT COUNT(*) AS windows, SUM(n) AS clicks FROM hits;
> rows eventually
windows | clicks
4 | 5

# GROUP BY without a window: an updating table, one row per URL.
CREATE MATERIALIZED VIEW per_url AS SELECT url, COUNT(*) AS n, MAX(bytes) AS biggest FROM clicks GROUP BY url;
> ok

SELECT * FROM per_url ORDER BY url;
> rows eventually
url | n | biggest
/a | 3 | 300
/b | 1 | 200
/c | 1 | 10

SELECT h.url, h.n AS in_window, p.n AS overall FROM hits h JOIN per_url p ON h.url = p.url
WHERE h.window_end = TIMESTAMP '2024-01-01 10:00:20' ORDER BY h.url;
> rows eventually
url | in_window | overall
/a | 1 | 3
/c | 1 | 1

# HAVING decides, batch by batch, whether a group's row is in the view.
CREATE MATERIALIZED VIEW busy AS SELECT url, COUNT(*) AS n FROM clicks GROUP BY url HAVING COUNT(*) > 1;
> ok

SELECT * FROM busy;
> rows eventually
url | n
/a | 3

# The group-window syntax; the window end alone identifies a tumbling window.
CREATE MATERIALIZED VIEW per_minute AS
SELECT TUMBLE_END(ts, INTERVAL '1' MINUTE) AS minute_end, COUNT(*) AS n FROM clicks GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE);
> ok

SELECT * FROM per_minute;
> rows eventually
minute_end | n
2024-01-01 10:01:00.000 | 5

# A filter: every matching row is kept (bound it with 'retention' on a live stream).
CREATE MATERIALIZED VIEW big_clicks AS SELECT url, bytes FROM clicks WHERE bytes >= 200;
> ok

SELECT * FROM big_clicks ORDER BY bytes;
> rows eventually
url | bytes
/b | 200
/a | 300

SHOW MATERIALIZED VIEWS LIKE 'per_url';
> rows
name | definition
per_url | CREATE MATERIALIZED VIEW per_url AS SELECT url, COUNT(*) AS n, MAX(bytes) AS biggest FROM clicks GROUP BY url

# What a view cannot be.
CREATE MATERIALIZED VIEW unnamed AS SELECT COUNT(*) AS n FROM clicks GROUP BY url;
> error 0A000 add 'url' to the SELECT list

CREATE MATERIALIZED VIEW sessions AS
SELECT url, window_start, window_end, COUNT(*) AS n
FROM TABLE(SESSION(TABLE clicks PARTITION BY url, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY url, window_start, window_end;
> error 0A000 Session windows are not supported in materialized views

CREATE MATERIALIZED VIEW hits AS SELECT url FROM clicks;
> error 42S01 already exists

CREATE MATERIALIZED VIEW kept WITH ('retain' = '1 hour') AS SELECT url FROM clicks;
> error 42000 Unknown materialized view option 'retain'

CREATE MATERIALIZED VIEW hits_of_hits AS SELECT url, SUM(n) AS n FROM hits GROUP BY url;
> error 0A000 'hits' is a materialized view

STOP QUERY 'view:hits';
> error 0A000 DROP MATERIALIZED VIEW hits

# Views and their queries come back after a restart (their queries read their sources again).
@restart

SELECT * FROM per_url ORDER BY url;
> rows eventually
url | n | biggest
/a | 3 | 300
/b | 1 | 200
/c | 1 | 10

DROP MATERIALIZED VIEW per_url;
> ok

SELECT * FROM per_url;
> error 42S02 does not exist
