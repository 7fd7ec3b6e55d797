# A bounded reference table from CSV, queried with full SQL, joined with a bounded stream.
@file users.csv
id,name,country,signup
1,alice,DE,2023-05-01
2,bob,"US, East",2023-06-15
3,"carol ""cc""",FR,
@end

@file orders.json
{"order_id": 10, "user_id": 1, "total": 12.5, "ts": "2024-02-01T09:00:00Z"}
{"order_id": 11, "user_id": 2, "total": 7.25, "ts": "2024-02-01T09:01:00Z"}
{"order_id": 12, "user_id": 1, "total": 3, "ts": "2024-02-01T09:02:00Z"}
{"order_id": 13, "user_id": 9, "total": 1, "ts": "2024-02-01T09:03:00Z"}
@end

CREATE TABLE users (id INT, name VARCHAR, country VARCHAR(20), signup DATE, PRIMARY KEY (id))
WITH ('connector' = 'file', 'path' = '${dir}/users.csv', 'format' = 'csv', 'csv.header' = 'true');
> ok

SELECT id, name, country, signup FROM users ORDER BY id;
> rows
id | name | country | signup
1 | alice | DE | 2023-05-01
2 | bob | US, East | 2023-06-15
3 | carol "cc" | FR | null

CREATE STREAM orders (order_id BIGINT, user_id INT, total DECIMAL(8, 2), ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE)
WITH ('connector' = 'file', 'path' = '${dir}/orders.json');
> ok

# Enrichment with a LEFT JOIN: order 13 has no user.
SELECT o.order_id, u.name, o.total FROM orders AS o LEFT JOIN users AS u ON o.user_id = u.id ORDER BY o.order_id;
> rows
order_id | name | total
10 | alice | 12.50
11 | bob | 7.25
12 | alice | 3.00
13 | null | 1.00

SELECT u.country, SUM(o.total) AS revenue, COUNT(*) AS orders FROM orders o JOIN users u ON o.user_id = u.id GROUP BY u.country;
> rows unordered
country | revenue | orders
DE | 15.50 | 2
US, East | 7.25 | 1

DESCRIBE TABLE users;
> rows
kind | name | type | nullable | detail
column | id | INTEGER | NO | PRIMARY KEY
column | name | VARCHAR | YES | null
column | country | VARCHAR(20) | YES | null
column | signup | DATE | YES | null
primary key | id | null | null | null
option | connector | null | null | file
option | path | null | null | ${dir}/users.csv
option | format | null | null | csv
option | csv.header | null | null | true
statistic | records_read | BIGINT | null | 9
statistic | records_skipped | BIGINT | null | 0
statistic | records_dead_lettered | BIGINT | null | 0
statistic | bytes_read | BIGINT | null | 270

CREATE TABLE bad (id INT, tags ARRAY<VARCHAR>) WITH ('connector' = 'file', 'path' = '${dir}/users.csv', 'format' = 'csv');
> error 42000 tags

CREATE TABLE bad (id INT, WATERMARK FOR id AS id) WITH ('connector' = 'file', 'path' = '${dir}/users.csv', 'format' = 'csv');
> error 42000 Only streams have watermarks
