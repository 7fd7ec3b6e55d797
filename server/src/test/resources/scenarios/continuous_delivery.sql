# Continuous queries over JDBC: a bounded file's windows all fire and the ResultSet ends; nothing
# keeps running afterwards. Expected rows counted by hand from the file.
@file clicks.json
{"user_id": 1, "ts": "2024-01-01 10:00:01"}
{"user_id": 2, "ts": "2024-01-01 10:00:03"}
{"user_id": 1, "ts": "2024-01-01 10:00:07"}
{"user_id": 1, "ts": "2024-01-01 10:00:12"}
{"user_id": 2, "ts": "2024-01-01 10:00:15"}
{"user_id": 3, "ts": "2024-01-01 10:00:25"}
@end

CREATE STREAM clicks (user_id BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SELECT STREAM user_id, window_start, window_end, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY user_id, window_start, window_end;
> rows unordered
user_id | window_start | window_end | n
1 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 2
2 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 1
1 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1
2 | 2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 1
3 | 2024-01-01 10:00:20.000 | 2024-01-01 10:00:30.000 | 1

SHOW QUERIES;
> rows
query_id | kind | query_text | state | started | rows_in | rows_out | late_rows | source_lag | error | last_checkpoint | last_checkpoint_at | state_bytes | checkpoint_problem | attempts | next_attempt | parallelism | owner | result_latency_p50_ms | result_latency_p99_ms | end_to_end_latency_p50_ms | end_to_end_latency_p99_ms

STOP QUERY 'nothing-runs';
> error 42S02 SHOW QUERIES
