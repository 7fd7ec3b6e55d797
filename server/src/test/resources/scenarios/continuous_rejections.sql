# Continuous queries the engine cannot run are rejected when prepared, saying what to write instead.
@file bids.json
{"auction": 1, "price": 2.0, "ts": "2024-01-01 10:00:01", "seen": "2024-01-01 10:00:01"}
@end

CREATE STREAM bids (auction BIGINT, price DOUBLE, ts TIMESTAMP(3), seen TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

# only the outermost GROUP BY may have no window (it sends its groups' changes, see continuous_group_changes.sql)
SELECT STREAM n, COUNT(*) AS c FROM (SELECT auction, COUNT(*) AS n FROM bids GROUP BY auction) GROUP BY n;
> error 0A000 GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)

SELECT STREAM b.auction FROM bids b JOIN (SELECT auction, MAX(price) AS top FROM bids GROUP BY auction) m ON b.auction = m.auction;
> error 0A000 needs a window

SELECT STREAM COUNT(*) AS n FROM bids GROUP BY auction;
> error 0A000 must select every grouping column: add 'auction'

SELECT STREAM COUNT(*) FROM bids GROUP BY TUMBLE(seen, INTERVAL '1' MINUTE);
> error 0A000 'seen' is neither

SELECT STREAM * FROM bids ORDER BY ts;
> error 0A000 ORDER BY is not supported

SELECT STREAM * FROM bids a JOIN bids b ON a.auction = b.auction;
> error 0A000 needs a time bound

SELECT STREAM * FROM TABLE(TUMBLE(TABLE bids, DESCRIPTOR(ts), INTERVAL '1' MINUTE));
> error 0A000 GROUP BY window_start, window_end

SELECT STREAM auction, ROW_NUMBER() OVER (ORDER BY ts) FROM bids;
> error 0A000 OVER windows

SELECT STREAM auction FROM bids UNION SELECT STREAM auction FROM bids;
> error 0A000 UNION ALL

SELECT STREAM COUNT(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '1' MONTH);
> error 0A000 not in months

# the same in a plain query over the (bounded) file
SELECT COUNT(*) FROM bids GROUP BY TUMBLE(ts, INTERVAL '1' MONTH);
> error 0A000 not in months
