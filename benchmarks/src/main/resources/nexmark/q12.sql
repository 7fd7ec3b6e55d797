-- Nexmark Query 12: Processing Time Windows. How many bids does a user make within a fixed processing
-- time limit? Tumbling 10 s windows on processing time (bid.p_time AS PROCTIME()), per bidder.
SELECT STREAM
    bidder,
    COUNT(*) AS bid_count,
    window_start AS starttime,
    window_end AS endtime
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(p_time), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end
