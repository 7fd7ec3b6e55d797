-- Nexmark q7 as nexmark-flink runs it (queries/q7.sql): the bids whose price is the maximum of a 10 s
-- tumbling window, found by joining the bids with the window maxima (a regular join: window_end is not
-- a time attribute). nexmark-flink selects auction, price, bidder into a sink declared (auction,
-- bidder, price), so by position; this selects the sink's order.
SELECT B.auction, B.bidder, B.price, B.`dateTime`, B.extra
FROM bid B
JOIN (
    SELECT MAX(price) AS maxprice, window_end AS `dateTime`
    FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
    GROUP BY window_start, window_end
) B1
ON B.price = B1.maxprice
WHERE B.`dateTime` BETWEEN B1.`dateTime` - INTERVAL '10' SECOND AND B1.`dateTime`
