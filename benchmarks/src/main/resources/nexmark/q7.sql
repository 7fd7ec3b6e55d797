-- Nexmark Query 7: Highest Bid. What are the highest bids per period? The bids whose price is the
-- largest of their 10 s tumbling window (bids joined with the window's maximum, as Flink's Nexmark q7).
SELECT STREAM B.auction, B.bidder, B.price, B."dateTime", B.extra
FROM bid B
JOIN (
    SELECT MAX(price) AS maxprice, window_end AS "dateTime"
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR("dateTime"), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end
) B1
ON B.price = B1.maxprice
WHERE B."dateTime" BETWEEN B1."dateTime" - INTERVAL '10' SECOND AND B1."dateTime"
