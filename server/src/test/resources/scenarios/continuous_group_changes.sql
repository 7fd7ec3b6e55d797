# A continuous query whose outermost GROUP BY has no window sends its groups' changes: the op column
# says INSERT for a group's first row, UPDATE_BEFORE (the row sent before) and UPDATE_AFTER when it
# changes, DELETE when a group stops satisfying the HAVING. One row per micro-batch
# ('source.max-batch-rows' = '1') makes the order of the changes certain.
@file clicks.json
{"user_name": "ann", "url": "/a", "ms": 100}
{"user_name": "bob", "url": "/b", "ms": 250}
{"user_name": "ann", "url": "/c", "ms": 50}
{"user_name": "ann", "url": "/d", "ms": 300}
{"user_name": "bob", "url": "/e", "ms": 100}
@end

CREATE STREAM clicks (user_name VARCHAR, url VARCHAR, ms BIGINT)
WITH ('connector' = 'file', 'path' = '${dir}/clicks.json', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

SET 'source.max-batch-rows' = '1';
> ok

SELECT STREAM user_name, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY user_name;
> rows within 5000 ms
op | user_name | n | total
INSERT | ann | 1 | 100
INSERT | bob | 1 | 250
UPDATE_BEFORE | ann | 1 | 100
UPDATE_AFTER | ann | 2 | 150
UPDATE_BEFORE | ann | 2 | 150
UPDATE_AFTER | ann | 3 | 450
UPDATE_BEFORE | bob | 1 | 250
UPDATE_AFTER | bob | 2 | 350

# A HAVING decides whether a group is in the result: ann leaves when her average drops to 90 or less
# (the row deleted is the one sent before), and comes back when it rises again.
SELECT STREAM user_name, AVG(ms) AS average FROM clicks GROUP BY user_name HAVING AVG(ms) > 90;
> rows within 5000 ms
op | user_name | average
INSERT | ann | 100
INSERT | bob | 250
DELETE | ann | 100
INSERT | ann | 150
UPDATE_BEFORE | bob | 250
UPDATE_AFTER | bob | 175

# Without GROUP BY: one group, the running totals.
SELECT STREAM COUNT(*) AS clicks, MAX(ms) AS slowest FROM clicks;
> rows within 5000 ms
op | clicks | slowest
INSERT | 1 | 100
UPDATE_BEFORE | 1 | 100
UPDATE_AFTER | 2 | 250
UPDATE_BEFORE | 2 | 250
UPDATE_AFTER | 3 | 250
UPDATE_BEFORE | 3 | 250
UPDATE_AFTER | 4 | 300
UPDATE_BEFORE | 4 | 300
UPDATE_AFTER | 5 | 300

RESET 'source.max-batch-rows';
> ok
