package io.weir.connector.datagen.nexmark;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code 'profile' = 'nexmark'}: the Nexmark auction events of one type ({@code 'nexmark.event-type'},
 * bids by default), with the column names of Flink's Nexmark DDL. A stream declares any subset of
 * its type's columns, matched by name ignoring case.
 */
public final class NexmarkProfile {
    public static final String NAME = "nexmark";

    /** The event types; each is a stream of its own. */
    public enum EventType {
        PERSON, AUCTION, BID;

        public String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static List<String> optionValues() {
            return Arrays.stream(values()).map(EventType::optionValue).toList();
        }

        public static EventType of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final Set<TypeKind> LONG = EnumSet.of(TypeKind.BIGINT);
    private static final Set<TypeKind> TEXT = EnumSet.of(TypeKind.VARCHAR);
    private static final Set<TypeKind> TIME = EnumSet.of(TypeKind.TIMESTAMP);

    /** The columns of all event types. */
    public enum Column {
        PERSON_ID(EventType.PERSON, "id", LONG), PERSON_NAME(EventType.PERSON, "name", TEXT),
        EMAIL_ADDRESS(EventType.PERSON, "emailAddress", TEXT), CREDIT_CARD(EventType.PERSON, "creditCard", TEXT),
        CITY(EventType.PERSON, "city", TEXT), STATE(EventType.PERSON, "state", TEXT),
        PERSON_DATE_TIME(EventType.PERSON, "dateTime", TIME), PERSON_EXTRA(EventType.PERSON, "extra", TEXT),

        AUCTION_ID(EventType.AUCTION, "id", LONG), ITEM_NAME(EventType.AUCTION, "itemName", TEXT),
        DESCRIPTION(EventType.AUCTION, "description", TEXT), INITIAL_BID(EventType.AUCTION, "initialBid", LONG),
        RESERVE(EventType.AUCTION, "reserve", LONG), AUCTION_DATE_TIME(EventType.AUCTION, "dateTime", TIME),
        EXPIRES(EventType.AUCTION, "expires", TIME), SELLER(EventType.AUCTION, "seller", LONG),
        CATEGORY(EventType.AUCTION, "category", LONG), AUCTION_EXTRA(EventType.AUCTION, "extra", TEXT),

        AUCTION(EventType.BID, "auction", LONG), BIDDER(EventType.BID, "bidder", LONG), PRICE(EventType.BID, "price", LONG),
        CHANNEL(EventType.BID, "channel", TEXT), URL(EventType.BID, "url", TEXT),
        BID_DATE_TIME(EventType.BID, "dateTime", TIME), BID_EXTRA(EventType.BID, "extra", TEXT);

        private final EventType eventType;
        private final String columnName;
        private final Set<TypeKind> types;

        Column(EventType eventType, String columnName, Set<TypeKind> types) {
            this.eventType = eventType;
            this.columnName = columnName;
            this.types = types;
        }

        public EventType eventType() {
            return eventType;
        }

        public String columnName() {
            return columnName;
        }

        public Set<TypeKind> types() {
            return types;
        }
    }

    private NexmarkProfile() {
    }

    public static List<String> columnNames(EventType type) {
        return Arrays.stream(Column.values()).filter(column -> column.eventType == type).map(Column::columnName).toList();
    }

    /**
     * The profile column for each declared column, in schema order.
     *
     * @param describedObject e.g. {@code Stream 'bids'}, for messages
     */
    public static List<Column> bind(String describedObject, EventType type, List<DataType.Field> schema) {
        return schema.stream().map(field -> {
            Column column = Arrays.stream(Column.values())
                    .filter(candidate -> candidate.eventType == type && candidate.columnName.equalsIgnoreCase(field.name()))
                    .findFirst()
                    .orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_COLUMN, describedObject + ": column '" + field.name()
                            + "' is not a column of Nexmark " + type.optionValue() + " events. Their columns are: "
                            + String.join(", ", columnNames(type))));
            if (!column.types.contains(field.type().kind())) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, describedObject + ": column '" + field.name()
                        + "' of Nexmark " + type.optionValue() + " events cannot be " + field.type() + "; declare it as "
                        + column.types.iterator().next());
            }
            return column;
        }).toList();
    }

    /** Writes the declared columns of events of one type into rows. */
    public static final class EventWriter {
        private final EventType type;
        private final List<Column> columns;
        private final DataType[] types;

        public EventWriter(EventType type, List<DataType.Field> schema, List<Column> columns) {
            this.type = requireNonNull(type, "type is null");
            this.columns = List.copyOf(columns);
            this.types = schema.stream().map(DataType.Field::type).toArray(DataType[]::new);
        }

        /** Generates events until one of this writer's type comes, at {@code timeMillis}, and writes it. */
        public void writeNext(NexmarkGenerator generator, RowWriter out, long timeMillis) {
            NexmarkEvent event;
            do {
                event = generator.next(timeMillis);
            } while (!matches(event));
            write(event, out);
        }

        private boolean matches(NexmarkEvent event) {
            return switch (type) {
                case PERSON -> event instanceof NexmarkEvent.Person;
                case AUCTION -> event instanceof NexmarkEvent.Auction;
                case BID -> event instanceof NexmarkEvent.Bid;
            };
        }

        void write(NexmarkEvent event, RowWriter out) {
            for (int column = 0; column < columns.size(); column++) {
                DataType columnType = types[column];
                if (event instanceof NexmarkEvent.Person person) {
                    writePerson(person, columns.get(column), columnType, column, out);
                } else if (event instanceof NexmarkEvent.Auction auction) {
                    writeAuction(auction, columns.get(column), columnType, column, out);
                } else if (event instanceof NexmarkEvent.Bid bid) {
                    writeBid(bid, columns.get(column), columnType, column, out);
                }
            }
        }

        private static void writePerson(NexmarkEvent.Person person, Column column, DataType type, int index, RowWriter out) {
            switch (column) {
                case PERSON_ID -> out.setLong(index, person.id());
                case PERSON_NAME -> out.setObject(index, ValueConversion.string(type, person.name()));
                case EMAIL_ADDRESS -> out.setObject(index, ValueConversion.string(type, person.emailAddress()));
                case CREDIT_CARD -> out.setObject(index, ValueConversion.string(type, person.creditCard()));
                case CITY -> out.setObject(index, ValueConversion.string(type, person.city()));
                case STATE -> out.setObject(index, ValueConversion.string(type, person.state()));
                case PERSON_DATE_TIME -> out.setLong(index, ValueConversion.truncate(type, person.dateTime()));
                case PERSON_EXTRA -> out.setObject(index, ValueConversion.string(type, person.extra()));
                default -> throw new IllegalStateException("not a person column: " + column);
            }
        }

        private static void writeAuction(NexmarkEvent.Auction auction, Column column, DataType type, int index, RowWriter out) {
            switch (column) {
                case AUCTION_ID -> out.setLong(index, auction.id());
                case ITEM_NAME -> out.setObject(index, ValueConversion.string(type, auction.itemName()));
                case DESCRIPTION -> out.setObject(index, ValueConversion.string(type, auction.description()));
                case INITIAL_BID -> out.setLong(index, auction.initialBid());
                case RESERVE -> out.setLong(index, auction.reserve());
                case AUCTION_DATE_TIME -> out.setLong(index, ValueConversion.truncate(type, auction.dateTime()));
                case EXPIRES -> out.setLong(index, ValueConversion.truncate(type, auction.expires()));
                case SELLER -> out.setLong(index, auction.seller());
                case CATEGORY -> out.setLong(index, auction.category());
                case AUCTION_EXTRA -> out.setObject(index, ValueConversion.string(type, auction.extra()));
                default -> throw new IllegalStateException("not an auction column: " + column);
            }
        }

        private static void writeBid(NexmarkEvent.Bid bid, Column column, DataType type, int index, RowWriter out) {
            switch (column) {
                case AUCTION -> out.setLong(index, bid.auction());
                case BIDDER -> out.setLong(index, bid.bidder());
                case PRICE -> out.setLong(index, bid.price());
                case CHANNEL -> out.setObject(index, ValueConversion.string(type, bid.channel()));
                case URL -> out.setObject(index, ValueConversion.string(type, bid.url()));
                case BID_DATE_TIME -> out.setLong(index, ValueConversion.truncate(type, bid.dateTime()));
                case BID_EXTRA -> out.setObject(index, ValueConversion.string(type, bid.extra()));
                default -> throw new IllegalStateException("not a bid column: " + column);
            }
        }
    }
}
