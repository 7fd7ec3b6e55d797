# User-defined aggregate functions: a Serializable accumulator class with add, merge and result, in a
# real jar (built from the source below). Used in a plain GROUP BY, in a continuous query's TUMBLE
# window, and in materialized views whose state (the accumulators, in Java serialization) survives a
# restart through checkpoints, as built-in aggregates' does. Expected rows worked out by hand.
@file spread.jar
package acme;

import java.io.Serializable;

/** The largest value minus the smallest. */
public class Spread implements Serializable {
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    public void add(double value) {
        min = Math.min(min, value);
        max = Math.max(max, value);
    }

    public void merge(Spread other) {
        min = Math.min(min, other.min);
        max = Math.max(max, other.max);
    }

    public double result() {
        return max - min;
    }
}
@end

@file distinct_list.jar
package acme;

import java.io.Serializable;
import java.util.TreeSet;

/** The distinct values, sorted, comma-separated. */
public class DistinctList implements Serializable {
    private final TreeSet<String> values = new TreeSet<>();

    public void add(String value) {
        values.add(value);
    }

    public void merge(DistinctList other) {
        values.addAll(other.values);
    }

    public String result() {
        return String.join(",", values);
    }
}
@end

@file weighted.jar
package acme;

import java.io.Serializable;

/** The average of the values, each counted weight times: an aggregate function of two arguments. */
public class Weighted implements Serializable {
    private double sum;
    private long weights;

    public void add(double value, long weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("a weight is not negative: " + weight);
        }
        sum += value * weight;
        weights += weight;
    }

    public void merge(Weighted other) {
        sum += other.sum;
        weights += other.weights;
    }

    public Double result() {
        return weights == 0 ? null : sum / weights;
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

@file events/part-1.json
{"url": "/a", "bytes": 10, "ts": "2024-01-01 10:00:01"}
{"url": "/b", "bytes": 5, "ts": "2024-01-01 10:00:02"}
{"url": "/a", "bytes": 30, "ts": "2024-01-01 10:00:05"}
{"url": "/a", "bytes": 7, "ts": "2024-01-01 10:00:12"}
{"url": "/c", "bytes": 1, "ts": "2024-01-01 10:00:13"}
@end

CREATE FUNCTION spread AS 'acme.Spread' USING JAR 'file:${dir}/spread.jar';
> ok

CREATE FUNCTION distinct_list AS 'acme.DistinctList' USING JAR 'file:${dir}/distinct_list.jar';
> ok

SHOW FUNCTIONS LIKE 'distinct_list';
> rows
name | kind | signatures | class_name | jar | error
distinct_list | AGGREGATE | (VARCHAR) -> VARCHAR | acme.DistinctList | file:${dir}/distinct_list.jar | null

SHOW FUNCTIONS LIKE 'spread';
> rows
name | kind | signatures | class_name | jar | error
spread | AGGREGATE | (DOUBLE) -> DOUBLE | acme.Spread | file:${dir}/spread.jar | null

CREATE STREAM bids (auction BIGINT, bidder BIGINT, price DOUBLE, channel VARCHAR, ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

# A plain query: auction 1 prices 2, 6, 1, 5; auction 2 prices 4, 3, 8. A group of NULLs only is NULL.
SELECT auction, spread(price) AS spread, distinct_list(channel) AS channels, spread(CAST(NULL AS DOUBLE)) AS nothing
FROM bids GROUP BY auction ORDER BY auction;
> rows
auction | spread | channels | nothing
1 | 5.0 | app,web | null
2 | 5.0 | app,web | null

# In a TUMBLE window of a continuous query: [0,10): auction 1 = 6 - 1 (web, web, app), auction 2 = 0
# (app); [10,20): 1 = 0 (web), 2 = 0 (web); [30,40): 2 = 0 (app). bidder (BIGINT) is read as a DOUBLE.
SELECT STREAM auction, TUMBLE_END(ts, INTERVAL '10' SECOND) AS we, spread(price) AS spread,
  distinct_list(channel) AS channels, spread(bidder) AS bidders
FROM bids
GROUP BY auction, TUMBLE(ts, INTERVAL '10' SECOND);
> rows unordered
auction | we | spread | channels | bidders
1 | 2024-01-01 10:00:10.000 | 5.0 | app,web | 2.0
2 | 2024-01-01 10:00:10.000 | 0.0 | app | 0.0
1 | 2024-01-01 10:00:20.000 | 0.0 | web | 0.0
2 | 2024-01-01 10:00:20.000 | 0.0 | web | 0.0
2 | 2024-01-01 10:00:40.000 | 0.0 | app | 0.0

# Session windows (gap 5 s) merge accumulators when a row joins two sessions: auction 1's rows at 1, 2,
# 7 form one session, 14 another.
SELECT STREAM auction, SESSION_END(ts, INTERVAL '5' SECOND) AS se, spread(price) AS spread
FROM bids
GROUP BY auction, SESSION(ts, INTERVAL '5' SECOND);
> rows unordered
auction | se | spread
1 | 2024-01-01 10:00:12.000 | 5.0
1 | 2024-01-01 10:00:19.000 | 0.0
2 | 2024-01-01 10:00:08.000 | 0.0
2 | 2024-01-01 10:00:17.000 | 0.0
2 | 2024-01-01 10:00:36.000 | 0.0

# An aggregate function of two arguments, typed from add(double, long): an INTEGER weight is widened. Plain:
# auction 1 (2*3 + 6*3 + 1*1 + 5*3) / 10 (web rows weigh 3, app rows 1), auction 2 (4 + 3*3 + 8) / 5.
CREATE FUNCTION weighted AS 'acme.Weighted' USING JAR 'file:${dir}/weighted.jar';
> ok

SHOW FUNCTIONS LIKE 'weighted';
> rows
name | kind | signatures | class_name | jar | error
weighted | AGGREGATE | (DOUBLE, BIGINT) -> DOUBLE | acme.Weighted | file:${dir}/weighted.jar | null

SELECT auction, weighted(price, CASE WHEN channel = 'web' THEN 3 ELSE 1 END) AS w FROM bids GROUP BY auction ORDER BY auction;
> rows
auction | w
1 | 4.0
2 | 4.2

# Weighed by bidder - 9 (b10 1, b11 2, b12 3), per 10 s window: [0,10) auction 1 (2 + 6 + 1*3) / 5, auction 2
# 4*2 / 2; then one row per window and auction.
SELECT STREAM auction, window_start, weighted(price, bidder - 9) AS w
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
> rows unordered
auction | window_start | w
1 | 2024-01-01 10:00:00.000 | 2.2
2 | 2024-01-01 10:00:00.000 | 4.0
1 | 2024-01-01 10:00:10.000 | 5.0
2 | 2024-01-01 10:00:10.000 | 3.0
2 | 2024-01-01 10:00:30.000 | 8.0

# ... and OVER each bid and the one before it of its auction: auction 1 at 7 s (6*1 + 1*3) / 4, at 14 s
# (1*3 + 5*1) / 4; auction 2 at 12 s (4*2 + 3*2) / 4, at 31 s (3*2 + 8*3) / 5.
SELECT STREAM auction, price, weighted(price, bidder - 9) OVER (PARTITION BY auction ORDER BY ts
  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w
FROM bids;
> rows unordered
auction | price | w
1 | 2.0 | 2.0
1 | 6.0 | 4.0
1 | 1.0 | 2.25
1 | 5.0 | 2.0
2 | 4.0 | 4.0
2 | 3.0 | 3.5
2 | 8.0 | 6.0

# A function failing in add fails its query, naming itself and the row's arguments (bidder 10's weight is -1);
# also the offsets in bids.json of the micro-batch's rows (at parallelism 2 those its task received).
SELECT STREAM auction, window_start, weighted(price, bidder - 11) AS w
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end;
> error 38000 Aggregate function weighted failed in add(2.0, -1): java.lang.IllegalArgumentException: a weight is not negative: -1

# In an OVER aggregation the rows wait for the watermark, and the function fails on one of them later: it names
# that row, auction 1's first (at byte 0 of bids.json), at parallelism 2 too (the rows came through an exchange).
SELECT STREAM auction, price, weighted(price, bidder - 11) OVER (PARTITION BY auction ORDER BY ts
  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w
FROM bids;
> error 38000 Aggregate function weighted failed in add(2.0, -1): java.lang.IllegalArgumentException: a weight is not negative: -1. The query stopped

SELECT STREAM auction, price, weighted(price, bidder - 11) OVER (PARTITION BY auction ORDER BY ts
  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w
FROM bids;
> error 38000 The row was read from stream 'bids', 

SELECT STREAM auction, price, weighted(price, bidder - 11) OVER (PARTITION BY auction ORDER BY ts
  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS w
FROM bids;
> error 38000 bids.json at offset 0.

CREATE STREAM ev (url VARCHAR, bytes BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/events', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

SET 'checkpoint.interval' = '0 s';
> ok

# Persistent queries with user-defined aggregates: their accumulators are in the checkpoints.
CREATE MATERIALIZED VIEW spans AS
SELECT window_start, window_end, distinct_list(url) AS urls, spread(bytes) AS spread
FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end;
> ok

CREATE MATERIALIZED VIEW totals AS SELECT url, spread(bytes) AS spread, distinct_list(CAST(bytes AS VARCHAR)) AS seen
FROM ev GROUP BY url;
> ok

# An OVER aggregation's rows waiting for the watermark are in its checkpoints with where they were read: /c's row
# at 13 s (weight 1 - 2) waits when the restart comes, and the function fails on it after the restart.
CREATE STREAM weights (url VARCHAR, w DOUBLE) WITH ('connector' = 'file', 'path' = '${dir}/weights', 'format' = 'json');
> ok

CREATE STREAM weights_files (url VARCHAR, w DOUBLE)
WITH ('connector' = 'file', 'path' = '${dir}/weights', 'glob' = 'part-*', 'format' = 'json');
> ok

INSERT INTO weights
SELECT STREAM url, weighted(CAST(bytes AS DOUBLE), bytes - 2) OVER (PARTITION BY url ORDER BY ts
  ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
FROM ev;
> ok

SELECT CAST(window_start AS VARCHAR) AS w, urls, spread FROM spans ORDER BY w;
> rows eventually
w | urls | spread
2024-01-01 10:00:00 | /a,/b | 25.0
2024-01-01 10:00:10 | /a,/c | 6.0

# The rows up to the watermark (12 s) are sent: the sink's files become visible at the checkpoint that holds /c's.
SELECT COUNT(*) AS sent FROM weights_files;
> rows eventually
sent
4

SELECT url, spread, seen FROM totals ORDER BY url;
> rows eventually
url | spread | seen
/a | 23.0 | 10,30,7
/b | 0.0 | 5
/c | 0.0 | 1

SELECT COUNT(*) > 0 AS checkpointed FROM sys.checkpoints WHERE query_id = 'view:totals';
> rows eventually
checkpointed
true

SELECT COUNT(*) > 0 AS checkpointed FROM sys.checkpoints WHERE query_id = 'view:spans';
> rows eventually
checkpointed
true

@restart

# The first file is gone: only the restored accumulators remember its rows.
@delete events/part-1.json

@add events/part-2.json
{"url": "/a", "bytes": 50, "ts": "2024-01-01 10:00:14"}
{"url": "/c", "bytes": 9, "ts": "2024-01-01 10:00:15"}
{"url": "/b", "bytes": 2, "ts": "2024-01-01 10:00:21"}
@end

# Part 2 moves the watermark to 20 s: /c's row at 13 s, restored from the checkpoint, fails its query, which names
# where the row was read (at byte 222 of the file deleted since).
SELECT error LIKE '%failed in add(1.0, -1)%The row was read from stream ''ev'', %/events/part-1.json at offset 222.%'
  AS named
FROM sys.queries WHERE query_text LIKE '%bytes - 2%';
> rows eventually
named
true

# [10,20): 7, 1 before the restart and 50, 9 after: 50 - 1.
SELECT CAST(window_start AS VARCHAR) AS w, urls, spread FROM spans ORDER BY w;
> rows eventually
w | urls | spread
2024-01-01 10:00:00 | /a,/b | 25.0
2024-01-01 10:00:10 | /a,/c | 49.0
2024-01-01 10:00:20 | /b | 0.0

SELECT url, spread, seen FROM totals ORDER BY url;
> rows eventually
url | spread | seen
/a | 43.0 | 10,30,50,7
/b | 3.0 | 2,5
/c | 8.0 | 1,9

# Not while views use it.
DROP FUNCTION spread;
> error 2BP01 Cannot drop function 'spread': materialized view 'spans', materialized view 'totals' call it

DROP MATERIALIZED VIEW spans;
> ok

DROP MATERIALIZED VIEW totals;
> ok

DROP FUNCTION spread;
> ok

# What an aggregate's class must have.
@file bad.jar
package acme;

public class NotSerializable {
    private long count;

    public void add(long value) {
        count++;
    }

    public void merge(NotSerializable other) {
        count += other.count;
    }

    public long result() {
        return count;
    }
}
@end

CREATE FUNCTION bad AS 'acme.NotSerializable' USING JAR 'file:${dir}/bad.jar';
> error 42P13 is not java.io.Serializable
