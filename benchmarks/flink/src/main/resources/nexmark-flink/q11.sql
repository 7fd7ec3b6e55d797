-- Nexmark q11 as nexmark-flink runs it (queries/q11.sql): bids per session of each bidder, sessions
-- closing after a 10 s gap (a group-window SESSION aggregation).
SELECT
    B.bidder,
    COUNT(*) AS bid_count,
    SESSION_START(B.`dateTime`, INTERVAL '10' SECOND) AS starttime,
    SESSION_END(B.`dateTime`, INTERVAL '10' SECOND) AS endtime
FROM bid B
GROUP BY B.bidder, SESSION(B.`dateTime`, INTERVAL '10' SECOND)
