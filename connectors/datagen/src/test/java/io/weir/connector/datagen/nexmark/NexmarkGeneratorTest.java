package io.weir.connector.datagen.nexmark;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NexmarkGeneratorTest {
    private static final long BASE = 1_700_000_000_000L;
    private static final int EVENTS = 50_000;

    private static List<NexmarkEvent> generate(long seed) {
        NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(10_000, BASE), seed);
        List<NexmarkEvent> events = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            events.add(generator.next());
        }
        return events;
    }

    @Test
    void personsAuctionsAndBidsComeOneToThreeToFortySix() {
        List<NexmarkEvent> events = generate(1);
        assertThat(events.subList(0, 50)).first().isInstanceOf(NexmarkEvent.Person.class);
        assertThat(events.subList(1, 4)).allSatisfy(event -> assertThat(event).isInstanceOf(NexmarkEvent.Auction.class));
        assertThat(events.subList(4, 50)).allSatisfy(event -> assertThat(event).isInstanceOf(NexmarkEvent.Bid.class));
        assertThat(events.stream().filter(NexmarkEvent.Person.class::isInstance).count()).isEqualTo(EVENTS / 50);
        assertThat(events.stream().filter(NexmarkEvent.Auction.class::isInstance).count()).isEqualTo(EVENTS / 50 * 3);
        assertThat(events.stream().filter(NexmarkEvent.Bid.class::isInstance).count()).isEqualTo(EVENTS / 50 * 46);
    }

    @Test
    void eventTimesFollowTheRate() {
        List<NexmarkEvent> events = generate(1);
        assertThat(events.get(0).dateTime()).isEqualTo(BASE);
        assertThat(events.get(10_000).dateTime()).isEqualTo(BASE + 1000);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).dateTime()).isGreaterThanOrEqualTo(events.get(i - 1).dateTime());
        }
    }

    @Test
    void idsAreDenseAndBidsReferToExistingOrNearlyCreatedEntities() {
        List<NexmarkEvent> events = generate(2);
        long persons = 0;
        long auctions = 0;
        Map<Long, Long> bidsPerAuction = new HashMap<>();
        Set<Long> bidders = new HashSet<>();
        for (NexmarkEvent event : events) {
            if (event instanceof NexmarkEvent.Person person) {
                assertThat(person.id()).isEqualTo(NexmarkConfig.FIRST_PERSON_ID + persons++);
                assertThat(person.state()).isIn("AZ", "CA", "ID", "OR", "WA", "WY");
                assertThat(person.creditCard()).matches("\\d{4} \\d{4} \\d{4} \\d{4}");
            } else if (event instanceof NexmarkEvent.Auction auction) {
                assertThat(auction.id()).isEqualTo(NexmarkConfig.FIRST_AUCTION_ID + auctions++);
                assertThat(auction.reserve()).isGreaterThanOrEqualTo(auction.initialBid());
                assertThat(auction.expires()).isGreaterThan(auction.dateTime());
                assertThat(auction.category()).isBetween(10L, 14L);
                assertThat(auction.seller()).isLessThan(NexmarkConfig.FIRST_PERSON_ID + persons + 10);
            } else {
                NexmarkEvent.Bid bid = (NexmarkEvent.Bid) event;
                assertThat(bid.auction()).isBetween(NexmarkConfig.FIRST_AUCTION_ID, NexmarkConfig.FIRST_AUCTION_ID + auctions + 10);
                assertThat(bid.bidder()).isBetween(NexmarkConfig.FIRST_PERSON_ID, NexmarkConfig.FIRST_PERSON_ID + persons + 10);
                assertThat(bid.price()).isBetween(100L, 100_000_000L);
                assertThat(bid.url()).startsWith("https://www.nexmark.com/");
                bidsPerAuction.merge(bid.auction(), 1L, Long::sum);
                bidders.add(bid.bidder());
            }
        }
        // Half the bids (hot auction ratio 2) go to the hot auction of the current hundred.
        long bids = EVENTS / 50 * 46;
        long hot = bidsPerAuction.entrySet().stream().filter(e -> (e.getKey() - NexmarkConfig.FIRST_AUCTION_ID) % 100 == 0)
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(hot / (double) bids).isCloseTo(0.5, within(0.03));
        assertThat(bidders.size()).isGreaterThan(100);
    }

    @Test
    void eventSizesAverageTheConfiguredBytes() {
        List<NexmarkEvent> events = generate(3);
        double bidBytes = events.stream().filter(NexmarkEvent.Bid.class::isInstance).map(NexmarkEvent.Bid.class::cast)
                .mapToInt(bid -> 32 + bid.extra().length()).average().orElseThrow();
        assertThat(bidBytes).isCloseTo(100, within(5.0));
        double auctionBytes = events.stream().filter(NexmarkEvent.Auction.class::isInstance).map(NexmarkEvent.Auction.class::cast)
                .mapToInt(a -> 48 + a.itemName().length() + a.description().length() + a.extra().length()).average().orElseThrow();
        assertThat(auctionBytes).isCloseTo(500, within(25.0));
    }

    @Test
    void sameSeedSameEvents() {
        assertThat(generate(7).subList(0, 500)).isEqualTo(generate(7).subList(0, 500));
        assertThat(generate(7).subList(0, 500)).isNotEqualTo(generate(8).subList(0, 500));
    }
}
