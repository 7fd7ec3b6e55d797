-- TUMBLE 10 s count per auction (not a Nexmark query; the window query of WindowBenchmark and
-- JdbcPathBenchmark, compared with Flink in FlinkComparisonBenchmark).
SELECT STREAM auction, COUNT(*) AS num, window_start AS starttime, window_end AS endtime
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR("dateTime"), INTERVAL '10' SECOND))
GROUP BY auction, window_start, window_end
