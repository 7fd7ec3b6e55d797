package io.weir.server.launcher;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weir.server.config.ServerConfig;
import io.weir.server.http.HttpReply;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class WeirServerTest {
    @TempDir
    Path dataDir;

    @Test
    void servesJdbcOnAPickedPortAndClosesTheMetaAfterTheHttpServer() throws IOException, SQLException {
        ClosableMeta meta = new ClosableMeta();
        WeirServer server = WeirServer.start(ServerConfig.builder().port(0).pgPort(0).dataDir(dataDir).build(), meta);
        try {
            assertThat(server.port()).isPositive();
            assertThat(server.jdbcUrl()).isEqualTo("jdbc:weir://127.0.0.1:" + server.port());
            assertThat(server.httpUrl()).isEqualTo("http://127.0.0.1:" + server.port());
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl())) {
                assertThat(connection.isClosed()).isFalse();
            }
        } finally {
            server.close();
        }
        assertThat(meta.closed.get()).isTrue();
        server.close();
    }

    @Test
    void wildcardBindIsReachedThroughLoopback() throws IOException, InterruptedException {
        try (WeirServer server = WeirServer.start(
                ServerConfig.builder().bindAddress("0.0.0.0").insecure(true).port(0).pgPort(0).dataDir(dataDir).build(), new ClosableMeta())) {
            assertThat(server.httpUrl()).startsWith("http://127.0.0.1:");
            assertThat(get(server.httpUrl() + "/health").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void extraRoutesSitBesideTheDefaultOnes() throws IOException, InterruptedException {
        try (WeirServer server = WeirServer.builder(ServerConfig.builder().port(0).pgPort(0).dataDir(dataDir).build(),
                        new ClosableMeta())
                .routes(router -> router.prefix(HttpMethod.GET, "/ingest/",
                        call -> HttpReply.text(HttpResponseStatus.OK, "stream " + call.path().substring(8))))
                .start()) {
            HttpResponse<String> ingest = get(server.httpUrl() + "/ingest/orders");

            assertThat(ingest.statusCode()).isEqualTo(200);
            assertThat(ingest.body()).isEqualTo("stream orders\n");
            assertThat(get(server.httpUrl() + "/health").body()).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A Meta that only opens and closes connections, and records being closed. */
    private static final class ClosableMeta extends MetaImpl implements AutoCloseable {
        final AtomicBoolean closed = new AtomicBoolean();

        ClosableMeta() {
            super(null);
        }

        @Override
        public void close() {
            closed.set(true);
        }

        @Override
        public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("deprecation")
        public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
                PrepareCallback callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) {
            throw new UnsupportedOperationException();
        }

        @Override
        @SuppressWarnings("deprecation")
        public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void closeStatement(StatementHandle h) {
        }

        @Override
        public boolean syncResults(StatementHandle sh, QueryState state, long offset) {
            return false;
        }

        @Override
        public void commit(ConnectionHandle ch) {
        }

        @Override
        public void rollback(ConnectionHandle ch) {
        }
    }
}
