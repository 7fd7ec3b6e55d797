package io.weir.sql.auth;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What a privilege is granted on: a stream, table or materialized view by name, a connector by name, or
 * the server as a whole (for {@link Privilege#CREATE}). Names compare ignoring case, as the catalog's do.
 *
 * @param name the object's or connector's name as registered; empty for {@link Kind#SERVER}
 */
public record Securable(Kind kind, String name) {
    /** The server as a whole, what {@code GRANT CREATE TO user} is on. */
    public static final Securable SERVER = new Securable(Kind.SERVER, "");

    public enum Kind {
        SERVER(""), STREAM("STREAM"), TABLE("TABLE"), MATERIALIZED_VIEW("MATERIALIZED VIEW"), CONNECTOR("CONNECTOR");

        private final String sql;

        Kind(String sql) {
            this.sql = sql;
        }

        /** As written after ON in GRANT, e.g. {@code MATERIALIZED VIEW}. */
        public String sql() {
            return sql;
        }

        /** As named in messages, e.g. {@code materialized view}. */
        public String displayName() {
            return sql.toLowerCase(Locale.ROOT);
        }
    }

    public Securable {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
    }

    public static Securable connector(String name) {
        return new Securable(Kind.CONNECTOR, name.toLowerCase(Locale.ROOT));
    }

    /** Whether this is the same as {@code other}, names ignoring case. */
    public boolean sameAs(Securable other) {
        return kind == other.kind && name.equalsIgnoreCase(other.name);
    }

    /** {@code stream 'bids'}, {@code connector 'file'}, {@code the server}. */
    public String describe() {
        return kind == Kind.SERVER ? "the server" : kind.displayName() + " '" + name + "'";
    }

    /** What follows the privilege in GRANT: {@code ON STREAM bids}, or nothing for the server. */
    public String grantSql() {
        return kind == Kind.SERVER ? "" : " ON " + kind.sql() + " " + name;
    }
}
