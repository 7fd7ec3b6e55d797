# Queries without a stream: constants and VALUES, in one row or several, of several columns.
SELECT 'a' AS c1, 'bb' AS c2;
> rows
c1 | c2
a | bb

SELECT 1 AS i, 'two' AS s, 3.5 AS d, TRUE AS b, CAST(NULL AS VARCHAR) AS n;
> rows
i | s | d | b | n
1 | two | 3.5 | true | null

SELECT x, y FROM (VALUES (1, 'a'), (2, 'bb'), (3, 'ccc')) AS t (x, y) WHERE x > 1 ORDER BY x;
> rows
x | y
2 | bb
3 | ccc

SELECT y, COUNT(*) AS n FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t (y, z) GROUP BY y ORDER BY y;
> rows
y | n
a | 2
b | 1

# GROUP BY an ordinal of the SELECT list, as PostgreSQL allows (BI tools write it).
SELECT y, COUNT(*) AS n FROM (VALUES ('a', 1), ('b', 2), ('a', 3)) AS t (y, z) GROUP BY 1 ORDER BY 2 DESC;
> rows
y | n
a | 2
b | 1

SELECT COUNT(*) AS n FROM (VALUES ('a', 1)) AS t (y, z) GROUP BY 1;
> error 42000

# Text is Unicode end to end: in literals, in comparisons and in results.
SELECT '日本' AS x, 'naïve ☃ 😀' AS y, CHAR_LENGTH('日本') AS n;
> rows
x | y | n
日本 | naïve ☃ 😀 | 2

SELECT w FROM (VALUES ('日本'), ('abc')) AS t (w) WHERE w = '日本';
> rows
w
日本

VALUES (1, 'a');
> rows
EXPR$0 | EXPR$1
1 | a

# ... and in streams: data, predicates on it and results.
@file sensors.json
{"sensor": "日本", "temp": 21.5}
{"sensor": "Zürich", "temp": 3}
{"sensor": "東京 😀", "temp": 18}
{"sensor": "東京", "temp": 19}
@end

CREATE STREAM sensors (sensor VARCHAR, temp DOUBLE) WITH ('connector' = 'file', 'path' = '${dir}/sensors.json', 'format' = 'json');
> ok

SELECT STREAM sensor, UPPER(sensor) AS up, CHAR_LENGTH(sensor) AS len FROM sensors WHERE sensor <> '日本' AND sensor NOT LIKE '%😀';
> rows unordered
sensor | up | len
Zürich | ZÜRICH | 6
東京 | 東京 | 2

SELECT STREAM sensor FROM sensors WHERE sensor LIKE '%😀';
> rows unordered
sensor
東京 😀

SELECT STREAM sensor, temp FROM sensors WHERE sensor = '日本';
> rows unordered
sensor | temp
日本 | 21.5

# Lengths and positions count characters (code points, as PostgreSQL does), also beyond the BMP:
# '😀' is one character, not two UTF-16 units, and SUBSTRING never cuts one in half.
SELECT CHAR_LENGTH('😀a') AS n, CHARACTER_LENGTH('a😀😀') AS m, POSITION('a' IN '😀a') AS p, POSITION('b' IN '😀b😀b' FROM 3) AS q, POSITION('z' IN '😀') AS r;
> rows
n | m | p | q | r
2 | 3 | 2 | 4 | 0

SELECT SUBSTRING('😀abc' FROM 2 FOR 2) AS s1, SUBSTRING('😀abc' FROM 2) AS s2, SUBSTRING('ab😀c' FROM 0 FOR 4) AS s3, SUBSTRING('abc' FROM 5) AS s4, OVERLAY('a😀c' PLACING 'XY' FROM 2 FOR 1) AS o;
> rows
s1 | s2 | s3 | s4 | o
ab | abc | ab😀 | | aXYc

SELECT SUBSTRING('abc' FROM 1 FOR -1) AS bad;
> error 22000 negative substring length

SELECT STREAM sensor, CHAR_LENGTH(sensor) AS len, SUBSTRING(sensor FROM 4) AS rest, POSITION('京' IN sensor) AS pos FROM sensors WHERE sensor LIKE '東京%';
> rows unordered
sensor | len | rest | pos
東京 😀 | 4 | 😀 | 2
東京 | 2 | | 2
