# Views over streams: CREATE VIEW keeps the query, which is expanded wherever the view is used, in
# continuous and in bounded queries. Expected rows written by hand.
@file bids.json
{"auction": 1, "price": 2.0, "ts": "2024-01-01 10:00:01"}
{"auction": 2, "price": 40.0, "ts": "2024-01-01 10:00:03"}
{"auction": 1, "price": 60.0, "ts": "2024-01-01 10:00:12"}
{"auction": 2, "price": 80.0, "ts": "2024-01-01 10:00:14"}
@end

CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

CREATE VIEW expensive AS SELECT STREAM auction, price, ts FROM bids WHERE price > 10;
> ok

CREATE VIEW per_window (auction, window_end, bids) AS
SELECT STREAM auction, window_end, COUNT(*) FROM TABLE(TUMBLE(TABLE expensive, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY window_start, window_end, auction;
> ok

SHOW VIEWS LIKE 'exp%';
> rows
name | definition
expensive | CREATE VIEW expensive AS SELECT STREAM auction, price, ts FROM bids WHERE price > 10

SELECT STREAM auction, window_end, bids FROM per_window;
> rows unordered
auction | window_end | bids
2 | 2024-01-01 10:00:10.000 | 1
1 | 2024-01-01 10:00:20.000 | 1
2 | 2024-01-01 10:00:20.000 | 1

# The bounded file can also be read to its end with a plain SELECT over the view.
SELECT auction, price FROM expensive ORDER BY price;
> rows
auction | price
2 | 40.0
1 | 60.0
2 | 80.0

CREATE VIEW broken AS SELECT STREAM n, COUNT(*) AS c FROM (SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction) GROUP BY n;
> error 0A000 needs a window

DROP VIEW per_window;
> ok

DROP VIEW expensive;
> ok

SHOW VIEWS;
> rows
name | definition
