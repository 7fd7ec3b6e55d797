package io.weir.server.meta;

import io.weir.engine.exec.RunningQueries;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Every query of the server, as SHOW QUERIES, sys.queries and STOP QUERY see them: persistent ones first. */
final class ServerQueries implements RunningQueries {
    private final PersistentQueries persistent;
    private final ContinuousQueries push;

    ServerQueries(PersistentQueries persistent, ContinuousQueries push) {
        this.persistent = requireNonNull(persistent, "persistent is null");
        this.push = requireNonNull(push, "push is null");
    }

    @Override
    public List<QueryInfo> list() {
        List<QueryInfo> all = new ArrayList<>(persistent.list());
        all.addAll(push.list());
        return all;
    }

    @Override
    public List<QueryInfo> ended() {
        return push.ended();
    }

    @Override
    public Optional<QueryInfo> stop(String queryId, String reason) {
        Optional<QueryInfo> stopped = persistent.stop(queryId, reason);
        return stopped.isPresent() ? stopped : push.stop(queryId, reason);
    }
}
