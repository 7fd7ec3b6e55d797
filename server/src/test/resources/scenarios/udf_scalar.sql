# User-defined scalar functions: CREATE FUNCTION over a real jar (built from the Java source below) in
# the server's file roots; overloads typed from the Java signatures; calls in plain queries, continuous
# queries (projection, filter, inside a windowed aggregate), views and materialized views; a function
# that throws fails its query, naming itself and the row's arguments, and the server goes on; DROP
# FUNCTION is refused while a view calls it; functions survive a restart. Expected rows worked out by
# hand from bids.json (as in continuous_tumble.sql).
@file twice.jar
package acme;

public class Twice {
    public long eval(long x) {
        return 2 * x;
    }

    public String eval(String s) {
        return s == null ? "none" : s + s;
    }

    public String eval(String s, int times) {
        return s.repeat(times);
    }
}
@end

@file boom.jar
package acme;

public final class Boom {
    public static double eval(double price) {
        if (price > 7) {
            throw new IllegalStateException("price too high: " + price);
        }
        return price;
    }
}
@end

@file bids.json
{"auction": 1, "bidder": 10, "price": 2.0, "channel": "web", "ts": "2024-01-01 10:00:01"}
{"auction": 2, "bidder": 11, "price": 4.0, "channel": "app", "ts": "2024-01-01 10:00:03"}
{"auction": 1, "bidder": 10, "price": 6.0, "channel": "web", "ts": "2024-01-01 10:00:02"}
{"auction": 1, "bidder": 12, "price": 1.0, "channel": "app", "ts": "2024-01-01 10:00:07"}
{"auction": 2, "bidder": 11, "price": 3.0, "channel": "web", "ts": "2024-01-01 10:00:12"}
{"auction": 1, "bidder": 10, "price": 5.0, "channel": "web", "ts": "2024-01-01 10:00:14"}
{"auction": 2, "bidder": 12, "price": 8.0, "channel": "app", "ts": "2024-01-01 10:00:31"}
@end

CREATE STREAM bids (auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

CREATE FUNCTION twice AS 'acme.Twice' USING JAR 'file:${dir}/twice.jar';
> ok

CREATE FUNCTION boom AS 'acme.Boom' USING JAR '${dir}/boom.jar';
> ok

# Each call picks the overload its arguments' types fit; an INTEGER goes to eval(long). A NULL for a
# primitive parameter is NULL without a call; an object parameter gets the NULL.
SELECT twice(21) AS a, twice('ab') AS b, TWICE('x', 3) AS c, twice(CAST(NULL AS BIGINT)) AS d,
  twice(CAST(NULL AS VARCHAR)) AS e
FROM (VALUES (1)) AS t(x);
> rows
a | b | c | d | e
42 | abab | xxx | null | none

SELECT STREAM auction, twice(bidder) AS b2, twice(channel) AS c2 FROM bids WHERE twice(auction) = 2;
> rows unordered
auction | b2 | c2
1 | 20 | webweb
1 | 20 | webweb
1 | 24 | appapp
1 | 20 | webweb

# [0,10): auction 1 = 2 * (10 + 10 + 12), auction 2 = 2 * 11; [10,20): 1 = 20, 2 = 22; [30,40): 2 = 24
SELECT STREAM auction, TUMBLE_END(ts, INTERVAL '10' SECOND) AS we, SUM(twice(bidder)) AS s
FROM bids
GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND);
> rows unordered
auction | we | s
1 | 2024-01-01 10:00:10.000 | 64
2 | 2024-01-01 10:00:10.000 | 22
1 | 2024-01-01 10:00:20.000 | 20
2 | 2024-01-01 10:00:20.000 | 22
2 | 2024-01-01 10:00:40.000 | 24

# A function that throws fails its query, naming the function and the row's arguments; the server and
# the session go on.
SELECT boom(x) AS p FROM (VALUES (1.0), (9.5)) AS t(x);
> error 38000 Function boom(DOUBLE) -> DOUBLE failed on the row with arguments (9.5): java.lang.IllegalStateException: price too high: 9.5

SELECT STREAM auction, boom(price) AS p FROM bids;
> error 38000 Function boom(DOUBLE) -> DOUBLE failed on the row with arguments (8.0)

# ... and where the row was read: the 7th line of bids.json starts at byte 540.
SELECT STREAM auction, boom(price) AS p FROM bids;
> error 38000 The row was read from stream 'bids', 

SELECT STREAM auction, boom(price) AS p FROM bids;
> error 38000 bids.json at offset 540.

# ... also when it runs on what an OVER aggregation sends (each row is one it read): auction 2's last bid makes the
# maximum of it and the bid before 8.0, the row at byte 540.
SELECT STREAM auction, boom(MAX(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) AS p
FROM bids;
> error 38000 Function boom(DOUBLE) -> DOUBLE failed on the row with arguments (8.0)

SELECT STREAM auction, boom(MAX(price) OVER (PARTITION BY auction ORDER BY ts ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)) AS p
FROM bids;
> error 38000 bids.json at offset 540.

# A function failing in a filter names the rows of the batch it was in: all of bids.json, one micro-batch.
SELECT STREAM auction FROM bids WHERE boom(price) > 0;
> error 38000 bids.json offsets 0 to 540.

SELECT twice(1) AS two FROM (VALUES (1)) AS t(x);
> rows
two
2

# A view calls it: the function cannot be dropped or replaced until the view is dropped.
CREATE VIEW doubled AS SELECT auction, twice(bidder) AS b2 FROM bids;
> ok

SELECT auction, b2 FROM doubled WHERE auction = 2 ORDER BY b2;
> rows
auction | b2
2 | 22
2 | 22
2 | 24

DROP FUNCTION twice;
> error 2BP01 Cannot drop function 'twice': view 'doubled' calls it

CREATE OR REPLACE FUNCTION twice AS 'acme.Twice' USING JAR 'file:${dir}/twice.jar';
> error 2BP01 Cannot replace function 'twice': view 'doubled' calls it

CREATE MATERIALIZED VIEW doubled_totals AS SELECT auction, SUM(twice(bidder)) AS s FROM bids GROUP BY auction;
> ok

SELECT * FROM doubled_totals ORDER BY auction;
> rows eventually
auction | s
1 | 84
2 | 68

# What CREATE FUNCTION refuses, and why.
CREATE FUNCTION twice AS 'acme.Twice' USING JAR 'file:${dir}/twice.jar';
> error 42S01 A function named 'twice' already exists

CREATE FUNCTION missing AS 'acme.Missing' USING JAR 'file:${dir}/twice.jar';
> error 42P13 class acme.Missing is not in the jar

CREATE FUNCTION nothing AS 'java.lang.Object' USING JAR 'file:${dir}/twice.jar';
> error 42P13 has no public eval method

CREATE FUNCTION elsewhere AS 'acme.Twice' USING JAR 'file:/etc/twice.jar';
> error 42501 is outside the directories the server may read and write

CREATE FUNCTION nojar AS 'acme.Twice' USING JAR 'file:${dir}/absent.jar';
> error 42P13 does not exist or is not a file

CREATE FUNCTION initcap AS 'acme.Twice' USING JAR 'file:${dir}/twice.jar';
> error 42S01 'initcap' is a built-in function

@restart

SHOW FUNCTIONS LIKE '%o%m';
> rows
name | kind | signatures | class_name | jar | error
boom | SCALAR | (DOUBLE) -> DOUBLE | acme.Boom | ${dir}/boom.jar | null

SHOW FUNCTIONS LIKE 'tw%';
> rows
name | kind | signatures | class_name | jar | error
twice | SCALAR | (VARCHAR) -> VARCHAR; (BIGINT) -> BIGINT; (VARCHAR, INTEGER) -> VARCHAR | acme.Twice | file:${dir}/twice.jar | null

SHOW FUNCTIONS LIKE 'UPP%';
> rows
name | kind | signatures | class_name | jar | error
UPPER | BUILT-IN | null | null | null | null

SELECT auction, b2 FROM doubled WHERE auction = 1 AND b2 > 20;
> rows
auction | b2
1 | 24

SELECT * FROM doubled_totals ORDER BY auction;
> rows eventually
auction | s
1 | 84
2 | 68

DROP MATERIALIZED VIEW doubled_totals;
> ok

DROP VIEW doubled;
> ok

DROP FUNCTION twice;
> ok

DROP FUNCTION IF EXISTS twice;
> ok

SELECT twice(1) AS two FROM (VALUES (1)) AS t(x);
> error 42000 twice

@restart

SHOW FUNCTIONS LIKE 'tw%';
> rows
name | kind | signatures | class_name | jar | error

# A function whose jar is gone when the server starts stays registered, with why it cannot be called,
# until it is dropped or replaced.
@delete boom.jar

@restart

SHOW FUNCTIONS LIKE 'boom';
> rows
name | kind | signatures | class_name | jar | error
boom | UNKNOWN | null | acme.Boom | ${dir}/boom.jar | Function 'boom': the jar ${dir}/boom.jar does not exist or is not a file; put the jar there or correct USING JAR

SELECT boom(1.0) AS p FROM (VALUES (1)) AS t(x);
> error 42000 boom

DROP FUNCTION boom;
> ok
