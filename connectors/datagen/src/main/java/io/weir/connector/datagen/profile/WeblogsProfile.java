package io.weir.connector.datagen.profile;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code 'profile' = 'weblogs'}: web-server access-log events like the classic Spark Streaming log
 * generator. Mostly 200s with some redirects, 304s, 404s and 5xx; Zipf-distributed URLs; a bounded
 * population of users (a quarter anonymous, '-') each with a stable IP; log-normal response sizes
 * and latencies that depend on the status. A stream declares any subset of the columns, matched by
 * name ignoring case.
 */
public final class WeblogsProfile {
    public static final String NAME = "weblogs";

    /** The columns the profile produces and the types each may be declared with. */
    public enum Column {
        IP("client IP address", TypeKind.VARCHAR, TypeKind.CHAR),
        USER("user name, '-' for anonymous requests", TypeKind.VARCHAR, TypeKind.CHAR),
        METHOD("HTTP method", TypeKind.VARCHAR, TypeKind.CHAR),
        URL("request path and query", TypeKind.VARCHAR),
        STATUS("HTTP status code", TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.VARCHAR, TypeKind.CHAR),
        BYTES("response size in bytes", TypeKind.INTEGER, TypeKind.BIGINT),
        LATENCY("response time in milliseconds", TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.REAL, TypeKind.DOUBLE),
        TS("event time", TypeKind.TIMESTAMP),
        REFERRER("referring page, '-' for none", TypeKind.VARCHAR),
        USER_AGENT("browser user agent", TypeKind.VARCHAR);

        private final String description;
        private final Set<TypeKind> types;

        Column(String description, TypeKind first, TypeKind... more) {
            this.description = description;
            this.types = EnumSet.of(first, more);
        }

        public String columnName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String description() {
            return description;
        }

        public Set<TypeKind> types() {
            return types;
        }

        public static Optional<Column> named(String name) {
            return Arrays.stream(values()).filter(column -> column.columnName().equalsIgnoreCase(name)).findFirst();
        }
    }

    private WeblogsProfile() {
    }

    public static List<String> columnNames() {
        return Arrays.stream(Column.values()).map(Column::columnName).toList();
    }

    /**
     * The profile column for each declared column, in schema order.
     *
     * @param describedObject e.g. {@code Stream 'logs'}, for messages
     */
    public static List<Column> bind(String describedObject, List<DataType.Field> schema) {
        return schema.stream().map(field -> {
            Column column = Column.named(field.name()).orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_COLUMN,
                    describedObject + ": column '" + field.name() + "' is not produced by profile '" + NAME
                            + "'. Its columns are: " + String.join(", ", columnNames())));
            if (!column.types().contains(field.type().kind())) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, describedObject + ": column '" + field.name() + "' ("
                        + column.description() + ") of profile '" + NAME + "' cannot be " + field.type()
                        + "; declare it as one of " + column.types());
            }
            return column;
        }).toList();
    }
}
