# Late rows kept: with SET 'late-rows' = 'side-output', a row that comes for a window that has already
# fired is still dropped from the results and counted, and also kept in sys.late_rows: the query, the
# stream, the row as the window aggregation read it (as JSON), its time, the watermark it missed and
# when it came. The file of continuous_late_rows.sql, replayed one row per micro-batch: rows 4
# (u2 10:00:05) and 5 (u1 10:00:09) come after batch 3 moved the watermark to 10:00:11 and fired
# [10:00:00, 10:00:10); row 9 (u2 10:00:19) after batch 8 moved it to 10:00:20 and fired [10:00:10, 10:00:20).
@file clicks.json
{"user_id": 1, "ts": "2024-01-01 10:00:01"}
{"user_id": 2, "ts": "2024-01-01 10:00:03"}
{"user_id": 1, "ts": "2024-01-01 10:00:12"}
{"user_id": 2, "ts": "2024-01-01 10:00:05"}
{"user_id": 1, "ts": "2024-01-01 10:00:09"}
{"user_id": 2, "ts": "2024-01-01 10:00:14"}
{"user_id": 1, "ts": "2024-01-01 10:00:11"}
{"user_id": 1, "ts": "2024-01-01 10:00:21"}
{"user_id": 2, "ts": "2024-01-01 10:00:19"}
{"user_id": 2, "ts": "2024-01-01 10:00:22"}
@end

CREATE STREAM clicks (user_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'source.max-batch-rows' = '1';
> ok

# Dropped (the default): counted, not kept.
SELECT STREAM user_id, window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
> rows unordered
user_id | window_start | n
1 | 2024-01-01 10:00:00.000 | 1
2 | 2024-01-01 10:00:00.000 | 1
1 | 2024-01-01 10:00:10.000 | 2
2 | 2024-01-01 10:00:10.000 | 1
1 | 2024-01-01 10:00:20.000 | 1
2 | 2024-01-01 10:00:20.000 | 1

SELECT COUNT(*) AS kept FROM sys.late_rows;
> rows
kept
0

SET 'late-rows' = 'side-output';
> ok

# The same results; the three late rows are kept.
SELECT STREAM user_id, window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
> rows unordered
user_id | window_start | n
1 | 2024-01-01 10:00:00.000 | 1
2 | 2024-01-01 10:00:00.000 | 1
1 | 2024-01-01 10:00:10.000 | 2
2 | 2024-01-01 10:00:10.000 | 1
1 | 2024-01-01 10:00:20.000 | 1
2 | 2024-01-01 10:00:20.000 | 1

SELECT stream_name, row_json, event_time, watermark, query_id IS NOT NULL AS has_query, arrived_at > event_time AS arrived_later
FROM sys.late_rows ORDER BY event_time;
> rows
stream_name | row_json | event_time | watermark | has_query | arrived_later
clicks | {"window_time": "2024-01-01 10:00:05.000", "user_id": 2} | 2024-01-01 10:00:05.000 | 2024-01-01 10:00:11.000 | true | true
clicks | {"window_time": "2024-01-01 10:00:09.000", "user_id": 1} | 2024-01-01 10:00:09.000 | 2024-01-01 10:00:11.000 | true | true
clicks | {"window_time": "2024-01-01 10:00:19.000", "user_id": 2} | 2024-01-01 10:00:19.000 | 2024-01-01 10:00:20.000 | true | true

SET 'late-rows' = 'keep';
> error 22023 late-rows

RESET 'late-rows';
> ok

RESET 'source.max-batch-rows';
> ok
