-- Nexmark Query 11: User Sessions. How many bids did a user make in each session they were active?
-- Session windows with a 10 s gap per bidder (as Flink's Nexmark q11).
SELECT STREAM
    B.bidder,
    COUNT(*) AS bid_count,
    SESSION_START(B."dateTime", INTERVAL '10' SECOND) AS starttime,
    SESSION_END(B."dateTime", INTERVAL '10' SECOND) AS endtime
FROM bid B
GROUP BY B.bidder, SESSION(B."dateTime", INTERVAL '10' SECOND)
