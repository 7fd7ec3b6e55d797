# CREATE STREAM over a JSON-lines file, SHOW, DESCRIBE, a bounded SELECT, DROP.
@file clicks.json
{"user_id": 1, "url": "/home", "ts": "2024-01-01 10:00:00", "amount": 1.5}
{"USER_ID": 2, "url": "/cart", "ts": "2024-01-01T10:00:01Z", "amount": "2.25"}
{"user_id": 3, "url": "/home", "ts": 1704103202000}
@end

CREATE STREAM clicks (
  user_id BIGINT NOT NULL,
  url VARCHAR,
  ts TIMESTAMP(3),
  amount DECIMAL(10, 2),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SHOW STREAMS;
> rows
name | connector | format | watermark
clicks | file | json | ts AS ts - INTERVAL '5' SECOND

DESCRIBE clicks;
> rows
kind | name | type | nullable | detail
column | user_id | BIGINT | NO | null
column | url | VARCHAR | YES | null
column | ts | TIMESTAMP(3) | YES | event time (WATERMARK AS ts - INTERVAL '5' SECOND)
column | amount | DECIMAL(10, 2) | YES | null
watermark | ts | null | null | ts - INTERVAL '5' SECOND
option | connector | null | null | file
option | path | null | null | ${dir}/clicks.json
option | format | null | null | json

SELECT user_id, url, ts, amount FROM clicks ORDER BY user_id;
> rows
user_id | url | ts | amount
1 | /home | 2024-01-01 10:00:00.000 | 1.50
2 | /cart | 2024-01-01 10:00:01.000 | 2.25
3 | /home | 2024-01-01 10:00:02.000 | null

# Unquoted identifiers are case-insensitive.
SELECT COUNT(*) AS n, URL FROM CLICKS GROUP BY Url ORDER BY url;
> rows
n | URL
1 | /cart
2 | /home

CREATE STREAM clicks (a INT) WITH ('connector' = 'file', 'path' = '${dir}/clicks.json');
> error 42S01 already exists

CREATE STREAM IF NOT EXISTS clicks (a INT) WITH ('connector' = 'file', 'path' = '${dir}/clicks.json');
> ok

DROP TABLE clicks;
> error 42000 is a stream

DROP STREAM clicks;
> ok

SHOW STREAMS;
> rows
name | connector | format | watermark

DROP STREAM clicks;
> error 42S02 does not exist

DROP STREAM IF EXISTS clicks;
> ok
