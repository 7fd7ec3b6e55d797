# Prepared statements with ? parameters (@parameters sets them, each as text read as the type of its
# parameter): a plain query runs again with other values; a continuous query and a view get
# the values written into their text as typed literals.
@file orders.json
{"id": 1, "customer": "ann", "amount": 5.00, "ts": "2026-01-01 00:00:01"}
{"id": 2, "customer": "bob", "amount": 7.50, "ts": "2026-01-01 00:00:02"}
{"id": 3, "customer": "ann", "amount": 12.25, "ts": "2026-01-01 00:00:11"}
{"id": 4, "customer": "cid", "amount": null, "ts": "2026-01-01 00:00:12"}
@end

CREATE STREAM orders (id BIGINT, customer VARCHAR, amount DECIMAL(10, 2), ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
WITH ('connector' = 'file', 'path' = '${dir}/orders.json', 'format' = 'json');
> ok

@parameters ann | 1
SELECT id, amount FROM orders WHERE customer = ? AND amount > ? ORDER BY id;
> rows
id | amount
1 | 5.00
3 | 12.25

# the same text with other values (its compiled plan is kept); 5.001 is compared exactly, not rounded to the column's scale
@parameters ann | 5.001
SELECT id, amount FROM orders WHERE customer = ? AND amount > ? ORDER BY id;
> rows
id | amount
3 | 12.25

# a timestamp and a LIMIT
@parameters 2026-01-01 00:00:02 | 1
SELECT id FROM orders WHERE ts >= ? ORDER BY id LIMIT ?;
> rows
id
2

# NULL compares with nothing
@parameters null
SELECT COUNT(*) AS n FROM orders WHERE customer = ?;
> rows
n
0

@parameters one
SELECT id FROM orders WHERE id = ?;
> error 22018 Parameter 1 (BIGINT): cannot parse 'one' as BIGINT

# A continuous query: each window's orders over the amount given
@parameters 6
SELECT STREAM window_start, COUNT(*) AS orders
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
WHERE amount > ?
GROUP BY window_start, window_end;
> rows unordered
window_start | orders
2026-01-01 00:00:00.000 | 1
2026-01-01 00:00:10.000 | 1

# A view keeps the value it was created with
@parameters 7.5
CREATE VIEW big_orders AS SELECT id, customer FROM orders WHERE amount >= ?;
> ok

SELECT id, customer FROM big_orders ORDER BY id;
> rows
id | customer
2 | bob
3 | ann

# A parameter whose type Calcite cannot infer (compared with another parameter's comparison) is the
# user's error, not an internal one.
SELECT x FROM (VALUES (1)) AS t(x) WHERE x = ? = ?;
> error 42000 A parameter (?) stands where its type cannot be inferred
