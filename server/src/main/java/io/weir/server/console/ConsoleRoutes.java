package io.weir.server.console;

import io.netty.handler.codec.http.HttpMethod;
import io.weir.server.auth.Authenticator;
import io.weir.server.http.AuthenticatedEndpoint;
import io.weir.server.http.HttpRouter;
import io.weir.server.meta.StatementRunner;

import java.util.function.Consumer;

/**
 * The web console: its page at {@code GET /} (Avatica clients POST to {@code /}, so the two share the path), its
 * files under {@code GET /console/}, and the JSON API its script calls: {@code GET /api/session},
 * {@code POST /api/sql}, {@code GET}/{@code DELETE /api/cursors/<id>}. The API runs statements as the user the
 * request authenticates as, through the server's {@link StatementRunner}: the console can do what that user can
 * do with SQL, nothing more. Pages of other origins cannot use the API ({@link SameOriginEndpoint}).
 */
public final class ConsoleRoutes {
    private ConsoleRoutes() {
    }

    /** @param statementFailed told the SQLSTATE of each statement run from the console that fails (the server's metrics) */
    public static HttpRouter.Builder addTo(HttpRouter.Builder router, StatementRunner runner, Authenticator authenticator,
                                           Consumer<String> statementFailed) {
        ConsoleAssets assets = new ConsoleAssets();
        ConsoleCursors cursors = new ConsoleCursors();
        CursorEndpoint rows = new CursorEndpoint(cursors);
        return router
                .exact(HttpMethod.GET, "/", assets)
                .prefix(HttpMethod.GET, ConsoleAssets.PATH_PREFIX, assets)
                .exact(HttpMethod.GET, "/api/session", new SameOriginEndpoint(new SessionEndpoint(authenticator)))
                .exact(HttpMethod.POST, "/api/sql", new SameOriginEndpoint(AuthenticatedEndpoint.forScripts(
                        new SqlEndpoint(runner, cursors, statementFailed), authenticator)))
                .prefix(HttpMethod.GET, CursorEndpoint.PATH_PREFIX, new SameOriginEndpoint(AuthenticatedEndpoint.forScripts(rows, authenticator)))
                .prefix(HttpMethod.DELETE, CursorEndpoint.PATH_PREFIX,
                        new SameOriginEndpoint(AuthenticatedEndpoint.forScripts(rows, authenticator)));
    }
}
