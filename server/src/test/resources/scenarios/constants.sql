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
