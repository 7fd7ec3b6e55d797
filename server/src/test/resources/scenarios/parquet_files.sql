# Format 'parquet': a windowed INSERT INTO writes Parquet part files (visible at checkpoints); a plain
# SELECT and a SELECT STREAM read the directory back, reading only the query's columns; a file that is
# not Parquet fails its query with an error naming it, and the server goes on.
@file orders/part-1.json
{"id": 1, "customer": "ann", "amount": "10.50", "ts": "2024-01-01 10:00:01"}
{"id": 2, "customer": "bob", "amount": "2.25", "ts": "2024-01-01 10:00:04"}
{"id": 3, "customer": "ann", "amount": "7.00", "ts": "2024-01-01 10:00:09"}
{"id": 4, "customer": "ann", "amount": "1.00", "ts": "2024-01-01 10:00:12"}
{"id": 5, "customer": "cy", "amount": "3.30", "ts": "2024-01-01 10:00:25"}
@end
@file broken/bad.parquet
this is not a parquet file
@end

CREATE STREAM orders (id BIGINT, customer VARCHAR, amount DECIMAL(10, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/orders', 'format' = 'json', 'watch' = 'true', 'watch.interval' = '50 ms');
> ok

CREATE STREAM totals (window_start TIMESTAMP(3), customer VARCHAR, n BIGINT, total DECIMAL(12, 2), today DATE,
  flag BOOLEAN, ratio DOUBLE)
WITH ('connector' = 'file', 'path' = '${dir}/totals', 'format' = 'parquet', 'parquet.compression' = 'zstd',
      'parquet.row-group-size' = '1 MB');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'checkpoint.interval' = '0 s';
> ok

INSERT INTO totals
SELECT STREAM window_start, customer, COUNT(*) AS n, SUM(amount) AS total, CAST(window_start AS DATE) AS today,
  COUNT(*) > 1 AS flag, CAST(SUM(amount) AS DOUBLE) / 2 AS ratio
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, customer;
> ok

# [0,10) and [10,20) have fired (the watermark is at 10:00:24); [20,30) waits.
SELECT CAST(window_start AS VARCHAR) AS w, customer, n, total, today, flag, ratio FROM totals ORDER BY w, customer;
> rows eventually
w | customer | n | total | today | flag | ratio
2024-01-01 10:00:00 | ann | 2 | 17.50 | 2024-01-01 | true | 8.75
2024-01-01 10:00:00 | bob | 1 | 2.25 | 2024-01-01 | false | 1.125
2024-01-01 10:00:10 | ann | 1 | 1.00 | 2024-01-01 | false | 0.5

# Projection: only customer and total are read from the files.
SELECT customer, SUM(total) AS spent FROM totals GROUP BY customer ORDER BY customer;
> rows
customer | spent
ann | 18.50
bob | 2.25

SELECT STREAM customer, n FROM totals WHERE n > 1;
> rows
customer | n
ann | 2

CREATE STREAM broken (id BIGINT) WITH ('connector' = 'file', 'path' = '${dir}/broken', 'format' = 'parquet');
> ok

# A damaged file is a bad record for the stream's 'on-error' policy: by default the query fails, naming it.
SELECT id FROM broken;
> error 22P02 is not a readable Parquet file

CREATE STREAM broken_skipped (id BIGINT) WITH ('connector' = 'file', 'path' = '${dir}/broken', 'format' = 'parquet',
    'on-error' = 'skip');
> ok

SELECT COUNT(*) AS n FROM broken_skipped;
> rows
n
0

# A watched directory is read as files are moved into it.
CREATE STREAM watched (id BIGINT) WITH ('connector' = 'file', 'path' = '${dir}/broken', 'format' = 'parquet', 'watch' = 'true');
> ok

SELECT COUNT(*) AS n FROM totals;
> rows
n
3
