# Session windows (gap 5 s) in both syntaxes, with Flink's semantics: each row opens [ts, ts + 5 s);
# windows that overlap or touch merge; a session ends at its last row + gap.
# Rows (seconds after 10:00:00): u1 at 0, 3, 8 (its window [8,13) touches [0,8)), 20; u2 at 5, 30.
# u1: [0,13) with 3 rows, [20,25) with 1; u2: [5,10), [30,35). Without a key: [0,13) has 4 rows.
@file clicks.json
{"user_name": "u1", "amount": 1.0, "ts": "2024-01-01 10:00:00"}
{"user_name": "u1", "amount": 2.0, "ts": "2024-01-01 10:00:03"}
{"user_name": "u2", "amount": 4.0, "ts": "2024-01-01 10:00:05"}
{"user_name": "u1", "amount": 8.0, "ts": "2024-01-01 10:00:08"}
{"user_name": "u1", "amount": 16.0, "ts": "2024-01-01 10:00:20"}
{"user_name": "u2", "amount": 32.0, "ts": "2024-01-01 10:00:30"}
@end

CREATE STREAM clicks (user_name VARCHAR, amount DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SELECT STREAM user_name, SESSION_START(ts, INTERVAL '5' SECOND) AS s, SESSION_END(ts, INTERVAL '5' SECOND) AS e,
  COUNT(*) AS n, SUM(amount) AS total
FROM clicks
GROUP BY user_name, SESSION(ts, INTERVAL '5' SECOND);
> rows unordered
user_name | s | e | n | total
u1 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:13.000 | 3 | 11.0
u1 | 2024-01-01 10:00:20.000 | 2024-01-01 10:00:25.000 | 1 | 16.0
u2 | 2024-01-01 10:00:05.000 | 2024-01-01 10:00:10.000 | 1 | 4.0
u2 | 2024-01-01 10:00:30.000 | 2024-01-01 10:00:35.000 | 1 | 32.0

SELECT STREAM SESSION_START(ts, INTERVAL '5' SECOND) AS s, SESSION_END(ts, INTERVAL '5' SECOND) AS e, COUNT(*) AS n
FROM clicks
GROUP BY SESSION(ts, INTERVAL '5' SECOND);
> rows unordered
s | e | n
2024-01-01 10:00:00.000 | 2024-01-01 10:00:13.000 | 4
2024-01-01 10:00:20.000 | 2024-01-01 10:00:25.000 | 1
2024-01-01 10:00:30.000 | 2024-01-01 10:00:35.000 | 1

# Flink's window table function form.
SELECT STREAM window_start, window_end, user_name, COUNT(*) AS n
FROM TABLE(SESSION(TABLE clicks PARTITION BY user_name, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end, user_name;
> rows unordered
window_start | window_end | user_name | n
2024-01-01 10:00:00.000 | 2024-01-01 10:00:13.000 | u1 | 3
2024-01-01 10:00:20.000 | 2024-01-01 10:00:25.000 | u1 | 1
2024-01-01 10:00:05.000 | 2024-01-01 10:00:10.000 | u2 | 1
2024-01-01 10:00:30.000 | 2024-01-01 10:00:35.000 | u2 | 1

# Calcite's form, with the key as a descriptor.
SELECT STREAM user_name, window_start, window_end, MAX(amount) AS top
FROM TABLE(SESSION(TABLE clicks, DESCRIPTOR(ts), DESCRIPTOR(user_name), INTERVAL '5' SECOND))
GROUP BY window_start, window_end, user_name;
> rows unordered
user_name | window_start | window_end | top
u1 | 2024-01-01 10:00:00.000 | 2024-01-01 10:00:13.000 | 8.0
u1 | 2024-01-01 10:00:20.000 | 2024-01-01 10:00:25.000 | 16.0
u2 | 2024-01-01 10:00:05.000 | 2024-01-01 10:00:10.000 | 4.0
u2 | 2024-01-01 10:00:30.000 | 2024-01-01 10:00:35.000 | 32.0

SELECT STREAM window_start, COUNT(*)
FROM TABLE(SESSION(TABLE clicks PARTITION BY user_name, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY window_start, window_end;
> error 0A000 must also be in GROUP BY
