# Late rows. A bounded file is normally read in one micro-batch, so the watermark moves only after
# every row is in and nothing can be late. SET 'source.max-batch-rows' = '1' replays the file one row
# per micro-batch, as a live source would deliver it: the watermark (largest ts so far - 1 s) advances
# after each row, a window fires in the batch where the watermark reaches its end, and a row arriving
# for a window that has already fired is late: dropped and counted in sys.queries.late_rows.
#
# Expected rows worked out by hand, batch by batch (wm = watermark after the batch):
#   batch  row            wm          fires (10 s tumbling windows)
#   1      u1 10:00:01    10:00:00
#   2      u2 10:00:03    10:00:02
#   3      u1 10:00:12    10:00:11    [10:00:00, 10:00:10)
#   4      u2 10:00:05    10:00:11    -- late: its window fired in batch 3
#   5      u1 10:00:09    10:00:11    -- late
#   6      u2 10:00:14    10:00:13
#   7      u1 10:00:11    10:00:13    -- behind the watermark but its window is open: counted
#   8      u1 10:00:21    10:00:20    [10:00:10, 10:00:20)
#   9      u2 10:00:19    10:00:20    -- late
#   10     u2 10:00:22    +infinity   [10:00:20, 10:00:30) (the file has ended)
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

# The whole file in one micro-batch (the default): nothing is late, every row counts.
SELECT STREAM user_id, window_start, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
> rows unordered
user_id | window_start | n
1 | 2024-01-01 10:00:00.000 | 2
2 | 2024-01-01 10:00:00.000 | 2
1 | 2024-01-01 10:00:10.000 | 2
2 | 2024-01-01 10:00:10.000 | 2
1 | 2024-01-01 10:00:20.000 | 1
2 | 2024-01-01 10:00:20.000 | 1

SET 'source.max-batch-rows' = '1';
> ok

# Window table function: rows 4, 5 and 9 are late.
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

# Group-window syntax: the same windows, the same late rows.
SELECT STREAM user_id, TUMBLE_START(ts, INTERVAL '10' SECOND) AS window_start, COUNT(*) AS n
FROM clicks
GROUP BY user_id, TUMBLE(ts, INTERVAL '10' SECOND);
> rows unordered
user_id | window_start | n
1 | 2024-01-01 10:00:00.000 | 1
2 | 2024-01-01 10:00:00.000 | 1
1 | 2024-01-01 10:00:10.000 | 2
2 | 2024-01-01 10:00:10.000 | 1
1 | 2024-01-01 10:00:20.000 | 1
2 | 2024-01-01 10:00:20.000 | 1

# Hopping windows (slide 5 s, size 10 s): a row is late only once all its windows have fired.
# Rows 4 and 5 miss [10:00:00, 10:00:10) but count in [10:00:05, 10:00:15); row 9 misses
# [10:00:10, 10:00:20) but counts in [10:00:15, 10:00:25). Nothing is late.
#   [09:59:55, 10:00:05): rows 1, 2            fired in batch 3
#   [10:00:00, 10:00:10): rows 1, 2            fired in batch 3
#   [10:00:05, 10:00:15): rows 3, 4, 5, 6, 7   fired in batch 8
#   [10:00:10, 10:00:20): rows 3, 6, 7         fired in batch 8
#   [10:00:15, 10:00:25): rows 8, 9, 10
#   [10:00:20, 10:00:30): rows 8, 10
SELECT STREAM HOP_START(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND) AS window_start, COUNT(*) AS n
FROM clicks
GROUP BY HOP(ts, INTERVAL '5' SECOND, INTERVAL '10' SECOND);
> rows unordered
window_start | n
2024-01-01 09:59:55.000 | 2
2024-01-01 10:00:00.000 | 2
2024-01-01 10:00:05.000 | 5
2024-01-01 10:00:10.000 | 3
2024-01-01 10:00:15.000 | 3
2024-01-01 10:00:20.000 | 2

# Sessions (gap 5 s) per user: a row is late when its own window [ts, ts + 5 s) has fired and it
# joins no open session.
#   batch 3 (wm 10:00:11) fires u1 [10:00:01, 10:00:06) and u2 [10:00:03, 10:00:08)
#   batch 4: u2 10:00:05 opens [10:00:05, 10:00:10), which has fired: late
#   batch 5: u1 10:00:09 joins u1's open session [10:00:12, 10:00:17) -> [10:00:09, 10:00:17); batch 7 adds 10:00:11
#   batch 8 (wm 10:00:20) fires u1 [10:00:09, 10:00:17) (3 rows) and u2 [10:00:14, 10:00:19)
#   batch 9: u2 10:00:19 opens [10:00:19, 10:00:24), still open; batch 10 merges 10:00:22 into it
SELECT STREAM user_id, window_start, window_end, COUNT(*) AS n
FROM TABLE(SESSION(TABLE clicks PARTITION BY user_id, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY user_id, window_start, window_end;
> rows unordered
user_id | window_start | window_end | n
1 | 2024-01-01 10:00:01.000 | 2024-01-01 10:00:06.000 | 1
2 | 2024-01-01 10:00:03.000 | 2024-01-01 10:00:08.000 | 1
1 | 2024-01-01 10:00:09.000 | 2024-01-01 10:00:17.000 | 3
2 | 2024-01-01 10:00:14.000 | 2024-01-01 10:00:19.000 | 1
1 | 2024-01-01 10:00:21.000 | 2024-01-01 10:00:26.000 | 1
2 | 2024-01-01 10:00:19.000 | 2024-01-01 10:00:27.000 | 2

# Finished queries stay listed in sys.queries with their final counts.
SELECT state, rows_in, rows_out, late_rows, ended IS NOT NULL AS has_ended FROM sys.queries ORDER BY started;
> rows
state | rows_in | rows_out | late_rows | has_ended
FINISHED | 10 | 6 | 0 | true
FINISHED | 10 | 6 | 3 | true
FINISHED | 10 | 6 | 3 | true
FINISHED | 10 | 6 | 0 | true
FINISHED | 10 | 6 | 1 | true

SHOW QUERIES;
> rows
query_id | kind | query_text | state | started | rows_in | rows_out | late_rows | source_lag | error | last_checkpoint | last_checkpoint_at | state_bytes | checkpoint_problem | attempts | next_attempt | parallelism | owner | result_latency_p50_ms | result_latency_p99_ms | end_to_end_latency_p50_ms | end_to_end_latency_p99_ms

RESET 'source.max-batch-rows';
> ok

SELECT STREAM COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '1' HOUR))
GROUP BY window_start, window_end;
> rows
n
10

SELECT late_rows FROM sys.queries ORDER BY started DESC LIMIT 1;
> rows
late_rows
0
