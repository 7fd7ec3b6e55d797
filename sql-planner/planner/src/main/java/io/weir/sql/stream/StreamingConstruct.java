package io.weir.sql.stream;

/** SQL constructs a continuous query may be rejected for; used to point the error at the SQL text. */
enum StreamingConstruct {
    GROUP_BY, JOIN, ORDER_BY, QUERY,
    /** The first OVER clause (an aggregate over a window of rows). */
    OVER
}
