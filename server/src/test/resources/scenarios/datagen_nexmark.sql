# datagen 'profile' = 'nexmark': the Nexmark benchmark's events with Flink's column names.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, "dateTime" TIMESTAMP(3), extra VARCHAR)
WITH ('connector' = 'datagen', 'profile' = 'nexmark', 'number-of-rows' = '920', 'rows-per-second' = '0', 'seed' = '3',
      'start-time' = '2024-01-01 00:00:00');
> ok

# Bids refer to the auctions and people created so far (ids from 1000) and cost 1 to 1,000,000 dollars in cents.
SELECT COUNT(*) AS n, MIN(auction) >= 1000 AS auctions_from_1000, MIN(bidder) >= 1000 AS bidders_from_1000,
       MIN(price) >= 100 AND MAX(price) <= 100000000 AS price_range, COUNT(DISTINCT channel) > 1 AS channels
FROM bid;
> rows
n | auctions_from_1000 | bidders_from_1000 | price_range | channels
920 | true | true | true | true

# One person in every 50 events: ids are dense from 1000.
CREATE STREAM person (id BIGINT, name VARCHAR, state VARCHAR)
WITH ('connector' = 'datagen', 'profile' = 'nexmark', 'nexmark.event-type' = 'person', 'number-of-rows' = '10',
      'rows-per-second' = '0');
> ok

SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM person;
> rows
n | lo | hi
10 | 1000 | 1009

CREATE STREAM broken (auction BIGINT, seller BIGINT) WITH ('connector' = 'datagen', 'profile' = 'nexmark');
> error 42S22 seller
