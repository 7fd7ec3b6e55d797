# Allowed lateness: SET 'allowed-lateness' keeps a window's state that long (in event time) after it
# fired. A late row within it updates the window, and the query sends the corrected row as an update
# (UPDATE_BEFORE the row sent before, UPDATE_AFTER the new one, with an op column, as EMIT EVERY does);
# a row later than that is a late row as without it (dropped and counted, or kept with 'late-rows').
#
# Expected rows worked out by hand, one row per micro-batch (wm = watermark after the batch, ts - 1 s;
# 10 s tumbling windows, allowed lateness 5 s: [10:00:00, 10:00:10) fires when wm reaches 10:00:09.999
# and is kept until wm reaches 10:00:14.999; [10:00:10, 10:00:20) until 10:00:24.999):
#   batch  row            wm          sends
#   1      u1 10:00:01    10:00:00
#   2      u2 10:00:03    10:00:02
#   3      u1 10:00:12    10:00:11    fires [10:00:00): INSERT u1 1, INSERT u2 1
#   4      u2 10:00:05    10:00:11    late, within the lateness: UPDATE_BEFORE u2 1, UPDATE_AFTER u2 2
#   5      u1 10:00:17    10:00:16    [10:00:00) is freed (10:00:14.999 <= wm)
#   6      u1 10:00:08    10:00:16    late beyond the lateness: dropped and counted
#   7      u2 10:00:22    10:00:21    fires [10:00:10): INSERT u1 2
#   8      u2 10:00:15    10:00:21    late, within: a new group of a fired window, INSERT u2 1
#   end of the file                   fires [10:00:20): INSERT u2 1
@file clicks.json
{"user_id": 1, "ts": "2024-01-01 10:00:01"}
{"user_id": 2, "ts": "2024-01-01 10:00:03"}
{"user_id": 1, "ts": "2024-01-01 10:00:12"}
{"user_id": 2, "ts": "2024-01-01 10:00:05"}
{"user_id": 1, "ts": "2024-01-01 10:00:17"}
{"user_id": 1, "ts": "2024-01-01 10:00:08"}
{"user_id": 2, "ts": "2024-01-01 10:00:22"}
{"user_id": 2, "ts": "2024-01-01 10:00:15"}
@end

CREATE STREAM clicks (user_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'source.max-batch-rows' = '1';
> ok

SET 'allowed-lateness' = '5 s';
> ok

SET 'late-rows' = 'side-output';
> ok

SELECT STREAM user_id, window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
> rows unordered
op | user_id | window_start | n
INSERT | 1 | 2024-01-01 10:00:00.000 | 1
INSERT | 2 | 2024-01-01 10:00:00.000 | 1
UPDATE_BEFORE | 2 | 2024-01-01 10:00:00.000 | 1
UPDATE_AFTER | 2 | 2024-01-01 10:00:00.000 | 2
INSERT | 1 | 2024-01-01 10:00:10.000 | 2
INSERT | 2 | 2024-01-01 10:00:10.000 | 1
INSERT | 2 | 2024-01-01 10:00:20.000 | 1

# Only the row beyond the lateness is late
SELECT late_rows FROM sys.queries ORDER BY started DESC LIMIT 1;
> rows
late_rows
1

SELECT stream_name, event_time, watermark FROM sys.late_rows;
> rows
stream_name | event_time | watermark
clicks | 2024-01-01 10:00:08.000 | 2024-01-01 10:00:16.000

# HOP and CUMULATE windows are corrected each on its own. HOP 10 s every 5 s: row 4 (u2 10:00:05) is in
# [10:00:00, 10:00:10), which fired at batch 3 (kept until wm 10:00:14.999), and [10:00:05, 10:00:15), still open.
SELECT STREAM user_id, window_start, COUNT(*) AS n
FROM TABLE(HOP(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '10' SECOND))
WHERE user_id = 2
GROUP BY user_id, window_start, window_end;
> rows unordered
op | user_id | window_start | n
INSERT | 2 | 2024-01-01 09:59:55.000 | 1
INSERT | 2 | 2024-01-01 10:00:00.000 | 1
UPDATE_BEFORE | 2 | 2024-01-01 10:00:00.000 | 1
UPDATE_AFTER | 2 | 2024-01-01 10:00:00.000 | 2
INSERT | 2 | 2024-01-01 10:00:05.000 | 1
INSERT | 2 | 2024-01-01 10:00:10.000 | 1
INSERT | 2 | 2024-01-01 10:00:15.000 | 2
INSERT | 2 | 2024-01-01 10:00:20.000 | 1

RESET 'late-rows';
> ok

# Sessions cannot be corrected (their bounds move); an INSERT INTO a sink without a primary key cannot
# take a corrected row.
SELECT STREAM SESSION_START(ts, INTERVAL '5' SECOND) AS s, user_id, COUNT(*) AS n
FROM clicks GROUP BY SESSION(ts, INTERVAL '5' SECOND), user_id;
> error 0A000 'allowed-lateness' applies to TUMBLE, HOP and CUMULATE windows

CREATE STREAM counts (user_id BIGINT, window_start TIMESTAMP(3), n BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/out', 'format' = 'json');
> ok

INSERT INTO counts
SELECT STREAM user_id, window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
> error 0A000 INSERT INTO a stream or table with a PRIMARY KEY

SET 'allowed-lateness' = 'soon';
> error 22023 allowed-lateness

RESET 'allowed-lateness';
> ok

RESET 'source.max-batch-rows';
> ok
