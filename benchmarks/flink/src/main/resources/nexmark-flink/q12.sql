-- Nexmark q12 (queries/q12.sql: bids per bidder in 10 s tumbling windows) on event time: nexmark-flink
-- windows on PROCTIME(), whose results depend on when each row happens to be processed, so they could
-- not be compared; this is the same query with DESCRIPTOR(`dateTime`) instead of DESCRIPTOR(p_time).
SELECT
    bidder,
    COUNT(*) AS bid_count,
    window_start AS starttime,
    window_end AS endtime
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY bidder, window_start, window_end
