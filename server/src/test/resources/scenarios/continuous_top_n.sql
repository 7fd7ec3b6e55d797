# Top-N and deduplication with ROW_NUMBER() in Flink's forms. Every expected row below is worked out by
# hand from the bids listed here (seconds after 10:00:00; watermark = latest ts - 1 s):
#   #1 a1 b10 2.0 t1    #2 a2 b11 4.0 t3    #3 a1 b10 6.0 t2    #4 a3 b12 1.0 t4    #5 a1 b12 1.0 t7
#   #6 a5 b13 0.5 t9    #7 a6 b13 0.7 t8.5  #8 a2 b11 3.0 t12   #9 a3 b10 5.0 t14   #10 a3 b12 7.0 t15
#   #11 a2 b12 8.0 t16  #12 a3 b11 2.0 t18  #13 a4 b10 9.0 t31
# One row per micro-batch ('source.max-batch-rows' = '1') makes the watermark at each row, and so the
# order of the changes, certain.
@file bids.json
{"auction": 1, "bidder": 10, "price": 2.0, "ts": "2024-01-01 10:00:01"}
{"auction": 2, "bidder": 11, "price": 4.0, "ts": "2024-01-01 10:00:03"}
{"auction": 1, "bidder": 10, "price": 6.0, "ts": "2024-01-01 10:00:02"}
{"auction": 3, "bidder": 12, "price": 1.0, "ts": "2024-01-01 10:00:04"}
{"auction": 1, "bidder": 12, "price": 1.0, "ts": "2024-01-01 10:00:07"}
{"auction": 5, "bidder": 13, "price": 0.5, "ts": "2024-01-01 10:00:09"}
{"auction": 6, "bidder": 13, "price": 0.7, "ts": "2024-01-01 10:00:08.500"}
{"auction": 2, "bidder": 11, "price": 3.0, "ts": "2024-01-01 10:00:12"}
{"auction": 3, "bidder": 10, "price": 5.0, "ts": "2024-01-01 10:00:14"}
{"auction": 3, "bidder": 12, "price": 7.0, "ts": "2024-01-01 10:00:15"}
{"auction": 2, "bidder": 12, "price": 8.0, "ts": "2024-01-01 10:00:16"}
{"auction": 3, "bidder": 11, "price": 2.0, "ts": "2024-01-01 10:00:18"}
{"auction": 4, "bidder": 10, "price": 9.0, "ts": "2024-01-01 10:00:31"}
@end

CREATE STREAM bids (auction BIGINT, bidder BIGINT, price DOUBLE, ts TIMESTAMP(3), pt AS PROCTIME(),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'source.max-batch-rows' = '1';
> ok

# Window Top-N: the two auctions with the most bids per 10 s window (ties by auction number), sent once
# per window when it closes. [0,10): a1 has 3 bids (#1 #3 #5), a2 a3 a5 a6 one each: a1, then a2.
# [10,20): a3 has 3 (#9 #10 #12), a2 2 (#8 #11). [30,40): only a4.
SELECT STREAM window_start, window_end, auction, n, rn
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, auction) AS rn
  FROM (
    SELECT window_start, window_end, auction, COUNT(*) AS n
    FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end, auction))
WHERE rn <= 2;
> rows within 5000 ms
window_start | window_end | auction | n | rn
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 1 | 3 | 1
2024-01-01 10:00:00.000 | 2024-01-01 10:00:10.000 | 2 | 1 | 2
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 3 | 3 | 1
2024-01-01 10:00:10.000 | 2024-01-01 10:00:20.000 | 2 | 2 | 2
2024-01-01 10:00:30.000 | 2024-01-01 10:00:40.000 | 4 | 1 | 1

# A condition besides the row number filters after ranking: a2 still takes rank 2 of the first window.
SELECT STREAM window_start, auction, n
FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY n DESC, auction) AS rn
  FROM (
    SELECT window_start, window_end, auction, COUNT(*) AS n
    FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end, auction))
WHERE rn < 3 AND n > 1;
> rows within 5000 ms
window_start | auction | n
2024-01-01 10:00:00.000 | 1 | 3
2024-01-01 10:00:10.000 | 3 | 3
2024-01-01 10:00:10.000 | 2 | 2

# Deduplication keeping each bidder's first bid by event time: sent once the watermark passes it, so
# b13's bid at 8.5 s, arriving after the one at 9 s, still wins. b10 at #2 (watermark 2 s), b11 at #4,
# b12 at #5, b13 at #8 (watermark 11 s).
SELECT STREAM bidder, auction, price, ts
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY ts) AS rn FROM bids)
WHERE rn = 1;
> rows within 5000 ms
bidder | auction | price | ts
10 | 1 | 2.0 | 2024-01-01 10:00:01.000
11 | 2 | 4.0 | 2024-01-01 10:00:03.000
12 | 3 | 1.0 | 2024-01-01 10:00:04.000
13 | 6 | 0.7 | 2024-01-01 10:00:08.500

# By processing time (a PROCTIME() column): the first bid to arrive, sent at once; for b13 that is a5.
SELECT STREAM bidder, auction
FROM (SELECT bidder, auction, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY pt ASC) AS rn FROM bids)
WHERE rn <= 1;
> rows within 5000 ms
bidder | auction
10 | 1
11 | 2
12 | 3
13 | 5

# Keeping each auction's last bid by event time is a change stream (op column): a later bid replaces the
# row sent; an older one (none here per auction) would be ignored. For a3: #4, #9, #10, #12.
SELECT STREAM auction, bidder, price
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids WHERE auction = 3)
WHERE rn = 1;
> rows within 5000 ms
op | auction | bidder | price
INSERT | 3 | 12 | 1.0
UPDATE_BEFORE | 3 | 12 | 1.0
UPDATE_AFTER | 3 | 10 | 5.0
UPDATE_BEFORE | 3 | 10 | 5.0
UPDATE_AFTER | 3 | 12 | 7.0
UPDATE_BEFORE | 3 | 12 | 7.0
UPDATE_AFTER | 3 | 11 | 2.0

# b13's bids arrive out of order: #6 (9 s) is its last, #7 (8.5 s) older, so it changes nothing.
# A condition besides rn = 1 decides whether the last row is in the result: b13's 0.5 is not.
SELECT STREAM bidder, auction, price
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder ORDER BY ts DESC) AS rn FROM bids WHERE bidder >= 12)
WHERE rn = 1 AND price > 0.6;
> rows within 5000 ms
op | bidder | auction | price
INSERT | 12 | 3 | 1.0
UPDATE_BEFORE | 12 | 3 | 1.0
UPDATE_AFTER | 12 | 1 | 1.0
UPDATE_BEFORE | 12 | 1 | 1.0
UPDATE_AFTER | 12 | 3 | 7.0
UPDATE_BEFORE | 12 | 3 | 7.0
UPDATE_AFTER | 12 | 2 | 8.0

# Top-N over a stream (Nexmark q19's form): the two highest bids of auction 3, as a change stream keyed
# by auction and row number. #4 1.0 -> rank 1; #9 5.0 -> 5.0, 1.0; #10 7.0 -> 7.0, 5.0; #12 2.0 changes
# nothing.
SELECT STREAM auction, bidder, price, rank_number
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bids WHERE auction = 3)
WHERE rank_number <= 2;
> rows within 5000 ms
op | auction | bidder | price | rank_number
INSERT | 3 | 12 | 1.0 | 1
UPDATE_BEFORE | 3 | 12 | 1.0 | 1
UPDATE_AFTER | 3 | 10 | 5.0 | 1
INSERT | 3 | 12 | 1.0 | 2
UPDATE_BEFORE | 3 | 10 | 5.0 | 1
UPDATE_AFTER | 3 | 12 | 7.0 | 1
UPDATE_BEFORE | 3 | 12 | 1.0 | 2
UPDATE_AFTER | 3 | 10 | 5.0 | 2

RESET 'source.max-batch-rows';
> ok

# A materialized view keeps each auction's last bid (by ts), replaced as later bids come: a1 #5, a2 #11,
# a3 #12, a4 #13, a5 #6, a6 #7.
CREATE MATERIALIZED VIEW last_bids AS
SELECT auction, bidder, price
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids)
WHERE rn = 1;
> ok

SELECT auction, bidder, price FROM last_bids ORDER BY auction;
> rows eventually
auction | bidder | price
1 | 12 | 1.0
2 | 12 | 8.0
3 | 11 | 2.0
4 | 10 | 9.0
5 | 13 | 0.5
6 | 13 | 0.7

DROP MATERIALIZED VIEW last_bids;
> ok

# What is not supported says what is.
SELECT STREAM * FROM (SELECT auction, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts) AS rn FROM bids);
> error 0A000 the row number must be bounded; add WHERE rn <= N

SELECT STREAM * FROM (SELECT auction, RANK() OVER (PARTITION BY auction ORDER BY price) AS r FROM bids) WHERE r <= 3;
> error 0A000 RANK() OVER is not supported yet

# (aggregates OVER a window are continuous_over.sql's; ROW_NUMBER() and an aggregate over one window are not)
SELECT STREAM auction, SUM(price) OVER w AS total, ROW_NUMBER() OVER w AS rn FROM bids WINDOW w AS (PARTITION BY auction ORDER BY ts);
> error 0A000 Continuous queries support OVER windows only as ROW_NUMBER()

SELECT STREAM * FROM (SELECT auction, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price) AS rn FROM bids) WHERE rn = 2;
> error 0A000 bound the row number once, by rn <= N, rn < N or rn = 1 (N a literal)

SELECT STREAM price FROM (SELECT price, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY ts DESC) AS rn FROM bids) WHERE rn = 1;
> error 0A000 must select the PARTITION BY columns: add 'auction' to the SELECT list

SELECT STREAM * FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start ORDER BY price DESC) AS rn
  FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND))) WHERE rn <= 3;
> error 0A000 Window Top-N partitions by both window_start and window_end
