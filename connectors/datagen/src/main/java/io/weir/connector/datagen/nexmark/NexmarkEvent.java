package io.weir.connector.datagen.nexmark;

import static java.util.Objects.requireNonNull;

/** One Nexmark event; field names follow Flink's Nexmark DDL. Times are epoch milliseconds. */
public sealed interface NexmarkEvent {
    long dateTime();

    /** A new user of the auction site. */
    record Person(long id, String name, String emailAddress, String creditCard, String city, String state, long dateTime,
                  String extra) implements NexmarkEvent {
        public Person {
            requireNonNull(name, "name is null");
            requireNonNull(extra, "extra is null");
        }
    }

    /** A new item up for auction. */
    record Auction(long id, String itemName, String description, long initialBid, long reserve, long dateTime, long expires,
                   long seller, long category, String extra) implements NexmarkEvent {
        public Auction {
            requireNonNull(itemName, "itemName is null");
            requireNonNull(extra, "extra is null");
        }
    }

    /** A bid for an auction. */
    record Bid(long auction, long bidder, long price, String channel, String url, long dateTime, String extra)
            implements NexmarkEvent {
        public Bid {
            requireNonNull(channel, "channel is null");
            requireNonNull(extra, "extra is null");
        }
    }
}
