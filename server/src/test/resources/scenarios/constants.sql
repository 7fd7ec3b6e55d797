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
