package io.weir.benchmarks;

import io.weir.connector.datagen.nexmark.NexmarkConfig;
import io.weir.connector.datagen.nexmark.NexmarkEvent;
import io.weir.connector.datagen.nexmark.NexmarkGenerator;

import java.util.ArrayList;
import java.util.List;

/**
 * The first events of the Nexmark stream (people, auctions and bids, 1:3:46), generated up front so
 * that generation is not measured: one list of rows per event type, in the column order of the
 * streams in {@code nexmark/ddl.sql} (times as epoch milliseconds).
 */
record NexmarkData(int events, List<Object[]> persons, List<Object[]> auctions, List<Object[]> bids) {
    NexmarkData {
        persons = List.copyOf(persons);
        auctions = List.copyOf(auctions);
        bids = List.copyOf(bids);
    }

    static NexmarkData generate(int events, long eventsPerSecond, long seed) {
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(eventsPerSecond, 1_700_000_000_000L), seed);
        List<Object[]> persons = new ArrayList<>();
        List<Object[]> auctions = new ArrayList<>();
        List<Object[]> bids = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            NexmarkEvent event = generator.next();
            if (event instanceof NexmarkEvent.Person p) {
                persons.add(new Object[] {p.id(), p.name(), p.emailAddress(), p.creditCard(), p.city(), p.state(), p.dateTime(),
                    p.extra()});
            } else if (event instanceof NexmarkEvent.Auction a) {
                auctions.add(new Object[] {a.id(), a.itemName(), a.description(), a.initialBid(), a.reserve(), a.dateTime(),
                    a.expires(), a.seller(), a.category(), a.extra()});
            } else if (event instanceof NexmarkEvent.Bid b) {
                bids.add(new Object[] {b.auction(), b.bidder(), b.price(), b.channel(), b.url(), b.dateTime(), b.extra()});
            }
        }
        return new NexmarkData(events, persons, auctions, bids);
    }
}
