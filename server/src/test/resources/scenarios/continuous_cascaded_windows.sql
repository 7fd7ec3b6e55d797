# Aggregating a windowed result again by its window (window_start, window_end): each window's rows
# arrive together when the upstream window fires, and the second aggregation fires with them. This
# is Nexmark q5's shape ("hot items"). HOP of 4 s every 2 s; expected rows worked out by hand:
#   [09:59:58, 10:00:02) a1:1           max 1
#   [10:00:00, 10:00:04) a1:2 a2:2      max 2
#   [10:00:02, 10:00:06) a1:2 a2:3      max 3
#   [10:00:04, 10:00:08) a1:1 a2:1      max 1
@file bids.json
{"auction": 1, "ts": "2024-01-01 10:00:01"}
{"auction": 1, "ts": "2024-01-01 10:00:02"}
{"auction": 2, "ts": "2024-01-01 10:00:03"}
{"auction": 2, "ts": "2024-01-01 10:00:03.500"}
{"auction": 2, "ts": "2024-01-01 10:00:04"}
{"auction": 1, "ts": "2024-01-01 10:00:05"}
@end

CREATE STREAM bids (auction BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/bids.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SELECT STREAM window_start, window_end, MAX(num) AS maxn
FROM (
    SELECT auction, COUNT(*) AS num, window_start, window_end
    FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
    GROUP BY auction, window_start, window_end
)
GROUP BY window_start, window_end;
> rows unordered
window_start | window_end | maxn
2024-01-01 09:59:58.000 | 2024-01-01 10:00:02.000 | 1
2024-01-01 10:00:00.000 | 2024-01-01 10:00:04.000 | 2
2024-01-01 10:00:02.000 | 2024-01-01 10:00:06.000 | 3
2024-01-01 10:00:04.000 | 2024-01-01 10:00:08.000 | 1

# The hottest auctions of each window: a window join of the counts with their maximum (Nexmark q5).
SELECT STREAM AuctionBids.auction, AuctionBids.num, AuctionBids.starttime
FROM (
    SELECT auction, COUNT(*) AS num, window_start AS starttime, window_end AS endtime
    FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
    GROUP BY auction, window_start, window_end
) AS AuctionBids
JOIN (
    SELECT MAX(CountBids.num) AS maxn, CountBids.starttime, CountBids.endtime
    FROM (
        SELECT COUNT(*) AS num, window_start AS starttime, window_end AS endtime
        FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
        GROUP BY auction, window_start, window_end
    ) AS CountBids
    GROUP BY CountBids.starttime, CountBids.endtime
) AS MaxBids
ON AuctionBids.starttime = MaxBids.starttime AND AuctionBids.endtime = MaxBids.endtime
   AND AuctionBids.num >= MaxBids.maxn;
> rows unordered
auction | num | starttime
1 | 1 | 2024-01-01 09:59:58.000
1 | 2 | 2024-01-01 10:00:00.000
2 | 2 | 2024-01-01 10:00:00.000
2 | 3 | 2024-01-01 10:00:02.000
1 | 1 | 2024-01-01 10:00:04.000
2 | 1 | 2024-01-01 10:00:04.000

# Only one of the bounds is not enough to know the windows.
SELECT STREAM window_end, MAX(num) AS maxn
FROM (
    SELECT auction, COUNT(*) AS num, window_start, window_end
    FROM TABLE(HOP(TABLE bids, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '4' SECOND))
    GROUP BY auction, window_start, window_end
)
GROUP BY window_end;
> error 0A000 add both window_start and window_end
