# Every supported type from JSON through DDL to JDBC, and case-insensitive names.
@file all.json
{"b": true, "ti": 7, "si": -300, "i": 70000, "bi": 9000000000, "r": 1.5, "d": 2.25, "amount": "12345.678", "c": "ab", "vc": "hello", "dt": "2024-02-29", "tm": "13:14:15.5", "ts": "2024-02-29T13:14:15.123Z", "vb": "AAEC", "arr": [1, 2, 3], "m": {"x": 1, "y": 2}, "rw": {"name": "n1", "score": 9}}
{"B": false, "TI": null, "vc": null}
@end

CREATE STREAM everything (
  b BOOLEAN, ti TINYINT, si SMALLINT, i INT, bi BIGINT, r REAL, d DOUBLE, amount DECIMAL(10, 3), c CHAR(2),
  vc VARCHAR(10), dt DATE, tm TIME(3), ts TIMESTAMP(3), vb VARBINARY, arr ARRAY<INT>, m MAP<VARCHAR, BIGINT>,
  rw ROW<name VARCHAR, score INT>
) WITH ('connector' = 'file', 'path' = '${dir}/all.json');
> ok

DESCRIBE everything;
> rows
kind | name | type | nullable | detail
column | b | BOOLEAN | YES | null
column | ti | TINYINT | YES | null
column | si | SMALLINT | YES | null
column | i | INTEGER | YES | null
column | bi | BIGINT | YES | null
column | r | REAL | YES | null
column | d | DOUBLE | YES | null
column | amount | DECIMAL(10, 3) | YES | null
column | c | CHAR(2) | YES | null
column | vc | VARCHAR(10) | YES | null
column | dt | DATE | YES | null
column | tm | TIME(3) | YES | null
column | ts | TIMESTAMP(3) | YES | null
column | vb | VARBINARY | YES | null
column | arr | ARRAY<INTEGER> | YES | null
column | m | MAP<VARCHAR NOT NULL, BIGINT> | YES | null
column | rw | ROW<name VARCHAR, score INTEGER> | YES | null
option | connector | null | null | file
option | path | null | null | ${dir}/all.json

SELECT b, ti, si, i, bi, r, d, amount, c, vc, dt, tm, ts FROM everything ORDER BY b DESC;
> rows
b | ti | si | i | bi | r | d | amount | c | vc | dt | tm | ts
true | 7 | -300 | 70000 | 9000000000 | 1.5 | 2.25 | 12345.678 | ab | hello | 2024-02-29 | 13:14:15.500 | 2024-02-29 13:14:15.123
false | null | null | null | null | null | null | null | null | null | null | null | null

SELECT CARDINALITY(arr) AS n, arr[2] AS elem, m['y'] AS y, everything.rw.score AS score, CHAR_LENGTH(vc) AS len FROM everything WHERE b;
> rows
n | elem | y | score | len
3 | 2 | 2 | 9 | 5

# Names: unquoted identifiers are case-insensitive, declared case is kept.
# A table's file must exist when it is created (a stream's path may be a sink's directory still to be written).
CREATE TABLE Mixed (USER_ID BIGINT, Url VARCHAR) WITH ('connector' = 'file', 'path' = '${dir}/no-such-file.json');
> error 42000 path

@file mixed.json
{"user_id": 5, "URL": "/x"}
@end

CREATE STREAM Mixed (USER_ID BIGINT, Url VARCHAR) WITH ('connector' = 'file', 'path' = '${dir}/mixed.json');
> ok

# A result column is named as the query wrote it.
SELECT user_id, url FROM mixed;
> rows
user_id | url
5 | /x

SELECT "USER_ID" FROM "Mixed";
> rows
USER_ID
5

SHOW STREAMS LIKE 'mix%';
> rows
name | connector | format | watermark
Mixed | file | json | null
