-- Nexmark streams as the Nexmark queries read them (Flink's Nexmark DDL: event time dateTime, watermark 4 s).
-- NexmarkQueryBenchmark replaces ${person}, ${auction} and ${bid} with each stream's source options
-- ('connector' = 'memory' and its data set; the cross-check with Flink uses 'file' and a JSON-lines path).
CREATE STREAM person (id BIGINT, name VARCHAR, "emailAddress" VARCHAR, "creditCard" VARCHAR, city VARCHAR, state VARCHAR,
    "dateTime" TIMESTAMP(3), extra VARCHAR,
    WATERMARK FOR "dateTime" AS "dateTime" - INTERVAL '4' SECOND)
WITH (${person});
CREATE STREAM auction (id BIGINT, "itemName" VARCHAR, description VARCHAR, "initialBid" BIGINT, reserve BIGINT,
    "dateTime" TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR,
    WATERMARK FOR "dateTime" AS "dateTime" - INTERVAL '4' SECOND)
WITH (${auction});
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "dateTime" TIMESTAMP(3),
    extra VARCHAR, p_time AS PROCTIME(),
    WATERMARK FOR "dateTime" AS "dateTime" - INTERVAL '4' SECOND)
WITH (${bid});
