package io.weir.server.ingest;

/** Told how many records each ingest request had accepted and rejected, per stream: for the server's metrics. */
@FunctionalInterface
public interface IngestCounts {
    IngestCounts NONE = (stream, accepted, rejected) -> {
    };

    /** A request for {@code stream} was answered: {@code accepted} records were appended, {@code rejected} refused. */
    void counted(String stream, int accepted, int rejected);
}
