# A continuous query decodes only the columns it reads (EXPLAIN shows them on the scan): a value of the
# wrong type in a field it does not read is no error for it, while malformed JSON anywhere is a bad
# record, dead-lettered whole. The watermark column and the columns computed columns use are read.
@file bids.json
{"auction": 1, "bidder": 10, "price": 100, "channel": "web", "ts": "2024-03-01 00:00:01"}
{"auction": 1, "bidder": "not a number", "price": 200, "channel": "app", "ts": "2024-03-01 00:00:02"}
{"auction": 2, "bidder": 12, "price": "expensive", "channel": "web", "ts": "2024-03-01 00:00:03"}
{"auction": 2, "bidder": 13, "price": 50, "channel": {"unclosed": [1, 2}, "ts": "2024-03-01 00:00:04"}
{"auction": 2, "price": 70, "ts": "2024-03-01 00:00:05"}
{"auction": 3, "bidder": 14, "price": 10, "channel": "web", "ts": "2024-03-01 00:00:20"}
@end

CREATE STREAM bids (auction BIGINT, bidder BIGINT NOT NULL, price BIGINT, channel VARCHAR, ts TIMESTAMP(3),
  cents AS price * 100, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json', 'on-error' = 'dead-letter');
> ok

SET 'batch.interval' = '20 ms';
> ok

# bidder and channel are not read: the bad bidder and the missing NOT NULL bidder are no error here;
# the bad price is (price is read), and the unclosed object is malformed JSON.
SELECT STREAM auction, window_end, MAX(cents) AS top, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY auction, window_start, window_end;
> rows unordered
auction | window_end | top | n
1 | 2024-03-01 00:00:10.000 | 20000 | 2
2 | 2024-03-01 00:00:10.000 | 7000 | 1
3 | 2024-03-01 00:00:30.000 | 1000 | 1

SELECT raw FROM sys.dead_letters WHERE object_name = 'bids' ORDER BY raw;
> rows
raw
{"auction": 2, "bidder": 12, "price": "expensive", "channel": "web", "ts": "2024-03-01 00:00:03"}
{"auction": 2, "bidder": 13, "price": 50, "channel": {"unclosed": [1, 2}, "ts": "2024-03-01 00:00:04"}

# A query reading every column: now the bad bidder and the missing bidder are bad records too.
SELECT STREAM auction, bidder, price, channel FROM bids;
> rows unordered
auction | bidder | price | channel
1 | 10 | 100 | web
3 | 14 | 10 | web
