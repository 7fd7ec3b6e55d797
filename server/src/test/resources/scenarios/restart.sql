# Everything registered survives a server restart; DROP survives it too.
@file events.json
{"id": 1}
@end

CREATE STREAM events (id BIGINT, pt AS PROCTIME()) WITH ('connector' = 'file', 'path' = '${dir}/events.json');
> ok

CREATE TABLE dims (id BIGINT, label VARCHAR, PRIMARY KEY (id)) WITH ('connector' = 'file', 'path' = '${dir}/events.json', 'format' = 'json');
> ok

@restart

SHOW STREAMS;
> rows
name | connector | format | watermark
events | file | json | null

SHOW TABLES;
> rows
name | connector | format | primary_key
dims | file | json | id

SELECT id FROM events;
> rows
id
1

DROP TABLE dims;
> ok

@restart

SHOW TABLES;
> rows
name | connector | format | primary_key
