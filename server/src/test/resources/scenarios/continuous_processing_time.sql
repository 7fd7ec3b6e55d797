# Processing time: a PROCTIME() column is the time of the micro-batch that reads the row. Windows on
# it fire when the clock passes their end, or when a bounded source ends. The rows of this small file
# are read in one micro-batch, so they share one processing time and one day-long window.
@file visits.json
{"page": "/a"}
{"page": "/b"}
{"page": "/a"}
@end

CREATE STREAM visits (page VARCHAR, pt AS PROCTIME())
WITH ('connector' = 'file', 'path' = '${dir}/visits.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SELECT STREAM page, pt > TIMESTAMP '2020-01-01 00:00:00' AS recent FROM visits;
> rows unordered
page | recent
/a | true
/b | true
/a | true

SELECT STREAM page, COUNT(*) AS n FROM visits GROUP BY page, TUMBLE(pt, INTERVAL '1' DAY);
> rows unordered
page | n
/a | 2
/b | 1

SELECT STREAM TIMESTAMPDIFF(HOUR, window_start, window_end) AS hours, COUNT(*) AS n
FROM TABLE(TUMBLE(TABLE visits, DESCRIPTOR(pt), INTERVAL '1' DAY))
GROUP BY window_start, window_end;
> rows
hours | n
24 | 3
