# Views, materialized views and persistent queries refer to objects by identity. DROP and CREATE OR
# REPLACE refuse (2BP01) while something depends on the object, naming it; DROP ... CASCADE stops and
# drops the dependants and lists them. After a restart nothing attaches to an object created since
# under an old name.
@file clicks/part-1.json
{"url": "/a", "status": 200, "ts": "2024-01-01 10:00:01"}
{"url": "/b", "status": 500, "ts": "2024-01-01 10:00:02"}
{"url": "/b", "status": 503, "ts": "2024-01-01 10:00:03"}
@end

@file other/part-1.json
{"url": "/z", "status": 500, "ts": "2024-01-01 11:00:00"}
@end

CREATE STREAM clicks (url VARCHAR, status INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/clicks', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true',
      'watch.interval' = '50 ms');
> ok

CREATE STREAM alerts (url VARCHAR, ts TIMESTAMP(3)) WITH ('connector' = 'file', 'path' = '${dir}/alerts', 'format' = 'json');
> ok

SET 'batch.interval' = '20 ms';
> ok

CREATE VIEW errors AS SELECT STREAM url, ts FROM clicks WHERE status >= 500;
> ok

CREATE MATERIALIZED VIEW hits AS SELECT url, COUNT(*) AS n FROM clicks GROUP BY url;
> ok

CREATE MATERIALIZED VIEW error_hits AS SELECT url, COUNT(*) AS n FROM errors GROUP BY url;
> ok

INSERT INTO alerts SELECT STREAM url, ts FROM errors;
> ok

DESCRIBE VIEW errors;
> rows
kind | name | type | nullable | detail
column | url | VARCHAR | YES | null
column | ts | TIMESTAMP(3) | YES | null
depends on | clicks | stream | null | null

SELECT * FROM hits ORDER BY url;
> rows eventually
url | n
/a | 1
/b | 2

# Refused, naming every dependant (the views through which a query reads count too).
DROP STREAM clicks;
> error 2BP01 Cannot drop stream 'clicks': materialized view 'error_hits', view 'errors', materialized view 'hits', persistent query '

DROP STREAM clicks RESTRICT;
> error 2BP01 or run DROP STREAM clicks CASCADE to stop and drop them with it

DROP VIEW errors;
> error 2BP01 Cannot drop view 'errors': materialized view 'error_hits', persistent query '

# A sink is a dependency too.
DROP STREAM alerts;
> error 2BP01 Cannot drop stream 'alerts': persistent query '

CREATE OR REPLACE STREAM clicks (url VARCHAR, status INT, ts TIMESTAMP(3))
WITH ('connector' = 'file', 'path' = '${dir}/other', 'format' = 'json');
> error 2BP01 Cannot replace stream 'clicks'

CREATE OR REPLACE VIEW errors AS SELECT STREAM url, ts FROM clicks WHERE status >= 400;
> error 2BP01 Cannot replace view 'errors'

# What depends on what survives a restart.
@restart

DROP STREAM clicks;
> error 2BP01 Cannot drop stream 'clicks': materialized view 'error_hits', view 'errors', materialized view 'hits', persistent query '

DROP MATERIALIZED VIEW error_hits;
> ok

DROP STREAM clicks CASCADE;
> rows
action | kind | name | query_text
stopped | persistent query | * | INSERT INTO alerts SELECT STREAM url, ts FROM errors
dropped | view | errors | null
dropped | materialized view | hits | null
dropped | stream | clicks | null

SELECT query_id FROM sys.queries WHERE kind = 'PERSISTENT';
> rows
query_id

SHOW VIEWS;
> rows
name | definition

SHOW MATERIALIZED VIEWS;
> rows
name | definition

# A stream created under the old name is another object: nothing of the old one attaches to it.
CREATE STREAM clicks (url VARCHAR, status INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
WITH ('connector' = 'file', 'path' = '${dir}/other', 'glob' = '*.json', 'format' = 'json', 'watch' = 'true');
> ok

@restart

SELECT query_id FROM sys.queries WHERE kind = 'PERSISTENT';
> rows
query_id

SELECT * FROM hits;
> error 42S02 does not exist

# Nothing depends on these now.
DROP STREAM alerts RESTRICT;
> ok

DROP STREAM clicks CASCADE;
> rows
action | kind | name | query_text
dropped | stream | clicks | null

DROP VIEW IF EXISTS errors CASCADE;
> rows
action | kind | name | query_text
