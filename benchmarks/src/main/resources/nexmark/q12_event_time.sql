-- Nexmark Query 12 on event time: how many bids does a user make in each 10 s tumbling window?
-- Nexmark's q12 (q12.sql) windows on processing time, whose results depend on when each row happens
-- to be processed; FlinkComparisonBenchmark compares results, so it runs this event-time variant
-- (the same query with DESCRIPTOR("dateTime") instead of DESCRIPTOR(p_time)) on both engines.
SELECT STREAM
    bidder,
    COUNT(*) AS bid_count,
    window_start AS starttime,
    window_end AS endtime
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR("dateTime"), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end
