-- Nexmark Query 7: Highest Bid. What are the highest bids per period? The bids whose price is the
-- largest of their 10 s tumbling window.
-- Flink's Nexmark q7 joins the raw bids with the window maxima ON B.price = B1.maxprice WHERE
-- B.dateTime BETWEEN B1.dateTime - INTERVAL '10' SECOND AND B1.dateTime (B1.dateTime = window_end);
-- Weir refuses that join (window_end of an aggregation is not an event-time column, so it is neither
-- an interval join nor a window join). Written here as a window join of each window's bids with the
-- window's maximum; on the cross-check data it gives exactly Flink's rows (they differ only for a bid
-- exactly at a window end matching the previous window's maximum, which Flink's BETWEEN also takes).
SELECT STREAM B.auction, B.bidder, B.price, B."dateTime", B.extra
FROM (
    SELECT auction, bidder, price, "dateTime", extra, window_start, window_end
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR("dateTime"), INTERVAL '10' SECOND))
    GROUP BY auction, bidder, price, "dateTime", extra, window_start, window_end
) B
JOIN (
    SELECT MAX(price) AS maxprice, window_start, window_end
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR("dateTime"), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end
) B1
ON B.price = B1.maxprice AND B.window_start = B1.window_start AND B.window_end = B1.window_end
