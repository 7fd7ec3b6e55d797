package io.weir.connector.datagen.nexmark;

import java.util.SplittableRandom;

import static java.util.Objects.requireNonNull;

/**
 * Generates the Nexmark event stream following the published specification as implemented by
 * Apache Beam's and Flink's {@code NexmarkGenerator}: event n is a person, an auction or a bid by
 * its position in each group of {@link NexmarkConfig#totalProportion()} events (1:3:46); ids are
 * dense so that bids refer to existing auctions and people; most bids go to hot auctions and come
 * from hot bidders; prices are log-uniform between 1 and 1,000,000 dollars (in cents); each event is
 * padded with an {@code extra} string to the configured average size.
 *
 * <p>Deterministic for a seed. Not thread-safe: one generator per reader.
 */
public final class NexmarkGenerator {
    private static final int MIN_STRING_LENGTH = 3;
    private static final int HOT_AUCTION_RATIO = 100;
    private static final int HOT_SELLER_RATIO = 100;
    private static final int HOT_BIDDER_RATIO = 100;
    private static final int PERSON_ID_LEAD = 10;
    private static final int AUCTION_ID_LEAD = 10;
    private static final int NUM_CATEGORIES = 5;
    private static final int HOT_CHANNELS_RATIO = 2;
    private static final int CHANNELS = 10_000;
    private static final String[] HOT_CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    private static final String[] US_STATES = {"AZ", "CA", "ID", "OR", "WA", "WY"};
    private static final String[] US_CITIES = {"Phoenix", "Los Angeles", "San Francisco", "Boise", "Portland", "Bend",
        "Redmond", "Seattle", "Kent", "Cheyenne"};
    private static final String[] FIRST_NAMES = {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah",
        "Deiter", "Walter"};
    private static final String[] LAST_NAMES = {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones",
        "Noris"};

    private final NexmarkConfig config;
    private final SplittableRandom random;
    private final String[] hotUrls;
    private final String[] channelUrls;
    private long eventNumber;

    public NexmarkGenerator(NexmarkConfig config, long seed) {
        this.config = requireNonNull(config, "config is null");
        this.random = new SplittableRandom(seed);
        // Channels and their URLs are fixed per generator, as Flink's Nexmark caches them.
        SplittableRandom urls = new SplittableRandom(seed ^ 0x6E65786D61726BL);
        this.hotUrls = new String[HOT_CHANNELS.length];
        for (int i = 0; i < hotUrls.length; i++) {
            hotUrls[i] = baseUrl(urls);
        }
        this.channelUrls = new String[CHANNELS];
        for (int i = 0; i < CHANNELS; i++) {
            channelUrls[i] = baseUrl(urls) + "&channel_id=" + Math.abs(Integer.reverse(i));
        }
    }

    /** Events generated so far; also the number of the next event. */
    public long eventCount() {
        return eventNumber;
    }

    /** The next event, with the event time the configured rate gives it. */
    public NexmarkEvent next() {
        return next(config.timestampForEvent(eventNumber));
    }

    /** The next event, happening at {@code timestampMillis} (callers that pace events themselves). */
    public NexmarkEvent next(long timestampMillis) {
        long eventId = eventNumber++;
        long offset = eventId % config.totalProportion();
        if (offset < config.personProportion()) {
            return person(eventId, timestampMillis);
        }
        if (offset < config.personProportion() + config.auctionProportion()) {
            return auction(eventId, timestampMillis);
        }
        return bid(eventId, timestampMillis);
    }

    private NexmarkEvent.Person person(long eventId, long timestamp) {
        long id = lastBase0PersonId(eventId) + NexmarkConfig.FIRST_PERSON_ID;
        String name = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[random.nextInt(LAST_NAMES.length)];
        String email = string(7) + "@" + string(5) + ".com";
        String creditCard = String.format("%04d %04d %04d %04d", random.nextInt(10_000), random.nextInt(10_000),
                random.nextInt(10_000), random.nextInt(10_000));
        String city = US_CITIES[random.nextInt(US_CITIES.length)];
        String state = US_STATES[random.nextInt(US_STATES.length)];
        int size = 8 + name.length() + email.length() + creditCard.length() + city.length() + state.length();
        return new NexmarkEvent.Person(id, name, email, creditCard, city, state, timestamp,
                extra(size, config.avgPersonByteSize()));
    }

    private NexmarkEvent.Auction auction(long eventId, long timestamp) {
        long id = lastBase0AuctionId(eventId) + NexmarkConfig.FIRST_AUCTION_ID;
        long seller = random.nextInt(config.hotSellersRatio()) > 0
                ? lastBase0PersonId(eventId) / HOT_SELLER_RATIO * HOT_SELLER_RATIO
                : nextBase0PersonId(eventId);
        seller += NexmarkConfig.FIRST_PERSON_ID;
        long category = NexmarkConfig.FIRST_CATEGORY_ID + random.nextInt(NUM_CATEGORIES);
        long initialBid = price();
        long expires = timestamp + auctionLengthMillis(timestamp);
        String name = string(20);
        String description = string(100);
        long reserve = initialBid + price();
        int size = 8 + name.length() + description.length() + 8 + 8 + 8 + 8 + 8;
        return new NexmarkEvent.Auction(id, name, description, initialBid, reserve, timestamp, expires, seller, category,
                extra(size, config.avgAuctionByteSize()));
    }

    private NexmarkEvent.Bid bid(long eventId, long timestamp) {
        long auction = random.nextInt(config.hotAuctionRatio()) > 0
                ? lastBase0AuctionId(eventId) / HOT_AUCTION_RATIO * HOT_AUCTION_RATIO
                : nextBase0AuctionId(eventId);
        auction += NexmarkConfig.FIRST_AUCTION_ID;
        // The second person of a batch, so that hot bidders and hot sellers differ.
        long bidder = random.nextInt(config.hotBiddersRatio()) > 0
                ? lastBase0PersonId(eventId) / HOT_BIDDER_RATIO * HOT_BIDDER_RATIO + 1
                : nextBase0PersonId(eventId);
        bidder += NexmarkConfig.FIRST_PERSON_ID;
        long price = price();
        String channel;
        String url;
        if (random.nextInt(HOT_CHANNELS_RATIO) > 0) {
            int hot = random.nextInt(HOT_CHANNELS.length);
            channel = HOT_CHANNELS[hot];
            url = hotUrls[hot];
        } else {
            int index = random.nextInt(CHANNELS);
            channel = "channel-" + index;
            url = channelUrls[index];
        }
        return new NexmarkEvent.Bid(auction, bidder, price, channel, url, timestamp, extra(32, config.avgBidByteSize()));
    }

    /** The last person id (base 0) that exists when event {@code eventId} is generated. */
    private long lastBase0PersonId(long eventId) {
        long epoch = eventId / config.totalProportion();
        long offset = eventId % config.totalProportion();
        if (offset >= config.personProportion()) {
            offset = config.personProportion() - 1;
        }
        return epoch * config.personProportion() + offset;
    }

    /** The last auction id (base 0) that exists when event {@code eventId} is generated. */
    private long lastBase0AuctionId(long eventId) {
        long epoch = eventId / config.totalProportion();
        long offset = eventId % config.totalProportion();
        if (offset < config.personProportion()) {
            epoch--;
            offset = config.auctionProportion() - 1;
        } else if (offset >= config.personProportion() + config.auctionProportion()) {
            offset = config.auctionProportion() - 1;
        } else {
            offset -= config.personProportion();
        }
        return epoch * config.auctionProportion() + offset;
    }

    /** A random active person, or one of the next few to be created. */
    private long nextBase0PersonId(long eventId) {
        long people = lastBase0PersonId(eventId) + 1;
        long active = Math.min(people, config.numActivePeople());
        return people - active + random.nextLong(active + PERSON_ID_LEAD);
    }

    /** A random auction still likely in flight, or one of the next few to be created. */
    private long nextBase0AuctionId(long eventId) {
        long maxAuction = lastBase0AuctionId(eventId);
        long minAuction = Math.max(maxAuction - config.numInFlightAuctions(), 0);
        return minAuction + random.nextLong(maxAuction - minAuction + 1 + AUCTION_ID_LEAD);
    }

    /** Auction lengths average the time until numInFlightAuctions more auctions have been created. */
    private long auctionLengthMillis(long timestamp) {
        long eventsForAuctions = (long) config.numInFlightAuctions() * config.totalProportion() / config.auctionProportion();
        long horizon = config.timestampForEvent(eventNumber + eventsForAuctions) - config.timestampForEvent(eventNumber);
        return 1 + random.nextLong(Math.max(horizon * 2, 1));
    }

    /** Log-uniform from 1 to 1,000,000 dollars, in cents. */
    private long price() {
        return Math.round(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0);
    }

    /** Lower-case letters with some spaces, trimmed; 3 to {@code maxLength} - 1 characters before trimming. */
    private String string(int maxLength) {
        int length = MIN_STRING_LENGTH + random.nextInt(maxLength - MIN_STRING_LENGTH);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(13) == 0 ? ' ' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString().trim();
    }

    /** Padding so that an event of {@code currentSize} bytes averages {@code averageSize} (within ±20%). */
    private String extra(int currentSize, int averageSize) {
        if (currentSize > averageSize) {
            return "";
        }
        int desired = averageSize - currentSize;
        int delta = (int) Math.round(desired * 0.2);
        int length = desired - delta + (delta == 0 ? 0 : random.nextInt(2 * delta));
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(text);
    }

    private static String baseUrl(SplittableRandom random) {
        return "https://www.nexmark.com/" + word(random) + "/" + word(random) + "/" + word(random) + "/item.htm?query=1";
    }

    private static String word(SplittableRandom random) {
        int length = MIN_STRING_LENGTH + random.nextInt(5 - MIN_STRING_LENGTH + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(random.nextInt(13) == 0 ? '_' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
