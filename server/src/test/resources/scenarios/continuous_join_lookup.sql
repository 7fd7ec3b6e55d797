# Stream–table (lookup) joins: each order is enriched with the user table, read whole when the query
# starts. User 9 does not exist and order 14 has no user; expected rows worked out by hand.
@file users.csv
id,name,country
1,alice,DE
2,bob,US
3,carol,FR
@end

@file countries.json
{"code": "DE", "label": "Germany"}
{"code": "US", "label": "United States"}
@end

@file orders.json
{"order_id": 10, "user_id": 1, "total": 12.5, "ts": "2024-02-01 09:00:00"}
{"order_id": 11, "user_id": 2, "total": 7.25, "ts": "2024-02-01 09:01:00"}
{"order_id": 12, "user_id": 1, "total": 3.0, "ts": "2024-02-01 09:02:00"}
{"order_id": 13, "user_id": 9, "total": 1.0, "ts": "2024-02-01 09:03:00"}
{"order_id": 14, "user_id": null, "total": 2.0, "ts": "2024-02-01 09:04:00"}
@end

CREATE TABLE users (id INT, name VARCHAR, country VARCHAR)
WITH ('connector' = 'file', 'path' = '${dir}/users.csv', 'format' = 'csv', 'csv.header' = 'true',
  'refresh-interval' = '1 h');
> ok

CREATE TABLE countries (code VARCHAR, label VARCHAR)
WITH ('connector' = 'file', 'path' = '${dir}/countries.json', 'format' = 'json');
> ok

CREATE STREAM orders (order_id BIGINT, user_id BIGINT, total DOUBLE, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' MINUTE)
WITH ('connector' = 'file', 'path' = '${dir}/orders.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# INNER: orders 13 (unknown user) and 14 (NULL user) have no match. user_id BIGINT, id INT: the key is cast.
SELECT STREAM o.order_id, u.name, o.total FROM orders o JOIN users u ON o.user_id = u.id;
> rows unordered
order_id | name | total
10 | alice | 12.5
11 | bob | 7.25
12 | alice | 3.0

# LEFT: every order, NULLs where no user matches.
SELECT STREAM o.order_id, u.name, u.country FROM orders AS o LEFT JOIN users AS u ON o.user_id = u.id;
> rows unordered
order_id | name | country
10 | alice | DE
11 | bob | US
12 | alice | DE
13 | null | null
14 | null | null

# A further condition in ON decides what matches: bob is not in DE, so order 11 gets NULLs.
SELECT STREAM o.order_id, u.name FROM orders o LEFT JOIN users u ON o.user_id = u.id AND u.country = 'DE';
> rows unordered
order_id | name
10 | alice
11 | null
12 | alice
13 | null
14 | null

# A common table expression (WITH) names a part of the continuous query, here the enriched orders.
WITH enriched AS (SELECT o.order_id, u.country, o.total FROM orders o JOIN users u ON o.user_id = u.id)
SELECT STREAM order_id, total FROM enriched WHERE country = 'DE';
> rows unordered
order_id | total
10 | 12.5
12 | 3.0

# IN and EXISTS against a reference table are lookups too (semi-joins: each order once, its own columns only):
# users in DE are 1 (alice); in US 2 (bob). NOT EXISTS keeps the orders without a user (anti-join): 13 (user 9)
# and 14 (NULL user). NOT IN is refused: one NULL in the subquery would keep no row at all.
SELECT STREAM order_id FROM orders WHERE user_id IN (SELECT id FROM users WHERE country = 'DE');
> rows unordered
order_id
10
12

SELECT STREAM order_id, total FROM orders o WHERE EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id AND u.country = 'US');
> rows unordered
order_id | total
11 | 7.25

SELECT STREAM order_id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = o.user_id);
> rows unordered
order_id
13
14

SELECT STREAM order_id FROM orders WHERE user_id NOT IN (SELECT id FROM users);
> error 0A000 NOT IN (SELECT ...) is not supported in continuous queries

# Set operations that would keep every row of a stream say so (UNION ALL is supported).
SELECT STREAM order_id FROM orders UNION SELECT STREAM order_id FROM orders;
> error 0A000 UNION without ALL would have to remember every row of a stream forever

SELECT STREAM order_id FROM orders INTERSECT SELECT STREAM order_id FROM orders;
> error 0A000 INTERSECT would have to remember every row of both inputs forever

SELECT STREAM order_id FROM orders EXCEPT SELECT STREAM order_id FROM orders;
> error 0A000 EXCEPT would have to remember every row of both inputs forever

# WHERE after the join filters joined rows.
SELECT STREAM o.order_id, UPPER(u.name) AS name FROM orders o JOIN users u ON o.user_id = u.id WHERE o.total > 5;
> rows unordered
order_id | name
10 | ALICE
11 | BOB

# The enriched stream keeps its event time: windows over it. [09:00, 09:02): 10 (DE), 11 (US); [09:02, 09:04): 12 (DE).
SELECT STREAM u.country, TUMBLE_START(o.ts, INTERVAL '2' MINUTE) AS ws, COUNT(*) AS n, SUM(o.total) AS total
FROM orders o JOIN users u ON o.user_id = u.id
GROUP BY u.country, TUMBLE(o.ts, INTERVAL '2' MINUTE);
> rows unordered
country | ws | n | total
DE | 2024-02-01 09:00:00.000 | 1 | 12.5
US | 2024-02-01 09:00:00.000 | 1 | 7.25
DE | 2024-02-01 09:02:00.000 | 1 | 3.0

# Lookups chain: the user's country, then its label.
SELECT STREAM o.order_id, u.name, c.label FROM orders o JOIN users u ON o.user_id = u.id
LEFT JOIN countries c ON u.country = c.code;
> rows unordered
order_id | name | label
10 | alice | Germany
11 | bob | United States
12 | alice | Germany

# The table side may be a query over the table: its filter and expressions apply as it is read.
SELECT STREAM o.order_id, u.name FROM orders o LEFT JOIN (SELECT id, UPPER(name) AS name FROM users WHERE country <> 'US') u
ON o.user_id = u.id;
> rows unordered
order_id | name
10 | ALICE
11 | null
12 | ALICE
13 | null
14 | null

SELECT STREAM o.order_id, u.name FROM orders o RIGHT JOIN users u ON o.user_id = u.id;
> error 0A000 Use JOIN or LEFT JOIN

SELECT STREAM o.order_id, u.name FROM users u JOIN orders o ON o.user_id = u.id;
> error 0A000 Put the stream first

SELECT STREAM o.order_id, u.name FROM orders o JOIN users u ON o.total > 1;
> error 0A000 looks rows up by key
