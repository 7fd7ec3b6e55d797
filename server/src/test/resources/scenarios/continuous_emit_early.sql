# EMIT EVERY: a window's current aggregates are sent while it is open, as changes with an op column
# (INSERT for a group's first row, then UPDATE_BEFORE, the row sent before, and UPDATE_AFTER), once
# per interval of processing time in which they changed, the first an interval after the query
# started; when the window closes, its final row if it changed since it was last sent. The early rows
# depend on when micro-batches run, so they are tested with a manual clock (EarlyEmissionTest); here
# the interval is an hour, longer than the whole query: every row is a window's final row, with its op.
# Rows (seconds after midnight): ann 1, bob 2, ann 4, ann 9.999, bob 12, bob 15, ann 21.
@file clicks.json
{"user_name": "ann", "ts": "2026-01-01 00:00:01"}
{"user_name": "bob", "ts": "2026-01-01 00:00:02"}
{"user_name": "ann", "ts": "2026-01-01 00:00:04"}
{"user_name": "ann", "ts": "2026-01-01 00:00:09.999"}
{"user_name": "bob", "ts": "2026-01-01 00:00:12"}
{"user_name": "bob", "ts": "2026-01-01 00:00:15"}
{"user_name": "ann", "ts": "2026-01-01 00:00:21"}
@end

CREATE STREAM clicks (user_name VARCHAR, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'source.max-batch-rows' = '1';
> ok

# [0 s, 10 s): ann 3, bob 1; [10 s, 20 s): bob 2; [20 s, 30 s): ann 1 (closed by the end of the file)
SELECT STREAM window_start, user_name, COUNT(*) AS clicks
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, user_name
EMIT EVERY INTERVAL '1' HOUR;
> rows unordered within 5000 ms
op | window_start | user_name | clicks
INSERT | 2026-01-01 00:00:00.000 | ann | 3
INSERT | 2026-01-01 00:00:00.000 | bob | 1
INSERT | 2026-01-01 00:00:10.000 | bob | 2
INSERT | 2026-01-01 00:00:20.000 | ann | 1

# A HAVING decides whether a window's group is in the result (a group sent early that stops satisfying
# it is deleted). The session's 'emit.early-interval' does what EMIT EVERY does, for queries without
# an EMIT clause.
SET 'emit.early-interval' = '1 h';
> ok

SELECT STREAM TUMBLE_END(ts, INTERVAL '10' SECOND) AS window_end, user_name, COUNT(*) AS clicks
FROM clicks
GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), user_name
HAVING COUNT(*) >= 2;
> rows within 5000 ms
op | window_end | user_name | clicks
INSERT | 2026-01-01 00:00:10.000 | ann | 3
INSERT | 2026-01-01 00:00:20.000 | bob | 2

# EMIT AFTER WATERMARK (the default without the session property): each window's final rows, no op column
SELECT STREAM window_start, user_name, COUNT(*) AS clicks
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, user_name
EMIT AFTER WATERMARK;
> rows unordered within 5000 ms
window_start | user_name | clicks
2026-01-01 00:00:00.000 | ann | 3
2026-01-01 00:00:00.000 | bob | 1
2026-01-01 00:00:10.000 | bob | 2
2026-01-01 00:00:20.000 | ann | 1

RESET 'emit.early-interval';
> ok

# Where EMIT does not apply, it says so
SELECT user_name FROM clicks EMIT EVERY INTERVAL '5' SECOND;
> error 0A000 A plain query answers with its rows at once

SELECT STREAM user_name FROM clicks EMIT EVERY INTERVAL '5' SECOND;
> error 0A000 the query must end with a windowed GROUP BY

SELECT STREAM SESSION_START(ts, INTERVAL '5' SECOND) AS s, user_name, COUNT(*) AS clicks
FROM clicks GROUP BY SESSION(ts, INTERVAL '5' SECOND), user_name
EMIT EVERY INTERVAL '5' SECOND;
> error 0A000 Session windows do not send early results

SELECT STREAM window_start, user_name, COUNT(*) AS clicks
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, user_name
EMIT EVERY INTERVAL '1' MONTH;
> error 42000 not of months or years

RESET 'source.max-batch-rows';
> ok
