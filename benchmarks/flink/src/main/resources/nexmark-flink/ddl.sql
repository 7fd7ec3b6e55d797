-- The Nexmark tables person, auction and bid with the columns and the watermark (event time dateTime,
-- 4 s) of Flink's Nexmark DDL (github.com/nexmark/nexmark, nexmark-flink: ddl_kafka.sql/ddl_gen.sql and
-- the views of ddl_views.sql). Nexmark keeps all events in one table of nested rows with an event_type;
-- the comparison reads one flat table per event type instead, the same JSON files or Kafka topics
-- Weir reads. FlinkQueryProcess replaces ${person}, ${auction} and ${bid} with each table's WITH options.
CREATE TABLE person (
    id BIGINT,
    name VARCHAR,
    emailAddress VARCHAR,
    creditCard VARCHAR,
    city VARCHAR,
    state VARCHAR,
    `dateTime` TIMESTAMP(3),
    extra VARCHAR,
    WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
) WITH (${person});

CREATE TABLE auction (
    id BIGINT,
    itemName VARCHAR,
    description VARCHAR,
    initialBid BIGINT,
    reserve BIGINT,
    `dateTime` TIMESTAMP(3),
    expires TIMESTAMP(3),
    seller BIGINT,
    category BIGINT,
    extra VARCHAR,
    WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
) WITH (${auction});

CREATE TABLE bid (
    auction BIGINT,
    bidder BIGINT,
    price BIGINT,
    channel VARCHAR,
    url VARCHAR,
    `dateTime` TIMESTAMP(3),
    extra VARCHAR,
    WATERMARK FOR `dateTime` AS `dateTime` - INTERVAL '4' SECOND
) WITH (${bid});
