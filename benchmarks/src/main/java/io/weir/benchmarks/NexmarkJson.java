package io.weir.benchmarks;

import io.weir.connector.datagen.nexmark.NexmarkEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Nexmark events as the flat JSON objects of Flink's Nexmark tables (person, auction, bid: the field
 * names of Flink's Nexmark DDL, times as {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC, which both Flink's
 * {@code json} format and Weir's read as TIMESTAMP(3)); one object per line in files, one per Kafka value.
 */
final class NexmarkJson {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private NexmarkJson() {
    }

    /** The stream (and file, and topic suffix) an event belongs to: person, auction or bid. */
    static String stream(NexmarkEvent event) {
        if (event instanceof NexmarkEvent.Person) {
            return "person";
        }
        return event instanceof NexmarkEvent.Auction ? "auction" : "bid";
    }

    static String of(NexmarkEvent event) {
        StringBuilder out = new StringBuilder(256);
        if (event instanceof NexmarkEvent.Person p) {
            out.append("{\"id\":").append(p.id());
            string(out, "name", p.name());
            string(out, "emailAddress", p.emailAddress());
            string(out, "creditCard", p.creditCard());
            string(out, "city", p.city());
            string(out, "state", p.state());
            time(out, "dateTime", p.dateTime());
            string(out, "extra", p.extra());
        } else if (event instanceof NexmarkEvent.Auction a) {
            out.append("{\"id\":").append(a.id());
            string(out, "itemName", a.itemName());
            string(out, "description", a.description());
            out.append(",\"initialBid\":").append(a.initialBid()).append(",\"reserve\":").append(a.reserve());
            time(out, "dateTime", a.dateTime());
            time(out, "expires", a.expires());
            out.append(",\"seller\":").append(a.seller()).append(",\"category\":").append(a.category());
            string(out, "extra", a.extra());
        } else if (event instanceof NexmarkEvent.Bid b) {
            out.append("{\"auction\":").append(b.auction()).append(",\"bidder\":").append(b.bidder())
                    .append(",\"price\":").append(b.price());
            string(out, "channel", b.channel());
            string(out, "url", b.url());
            time(out, "dateTime", b.dateTime());
            string(out, "extra", b.extra());
        }
        return out.append('}').toString();
    }

    private static void time(StringBuilder out, String name, long epochMillis) {
        string(out, name, TIME.format(Instant.ofEpochMilli(epochMillis)));
    }

    private static void string(StringBuilder out, String name, String value) {
        out.append(",\"").append(name).append("\":");
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
