package io.weir.server.pg;

import io.netty.buffer.ByteBuf;
import io.weir.server.meta.ResultCursor;
import io.weir.server.meta.StatementRunner;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.auth.SessionUser;
import io.weir.sql.session.SessionProperties;
import io.weir.sql.statement.PreparedPlan;
import io.weir.sql.statement.ResultColumn;
import io.weir.sql.statement.StatementCancel;
import org.apache.calcite.avatica.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import static java.util.Objects.requireNonNull;

/**
 * The statements of one PostgreSQL session: simple and extended query (prepared statements, portals,
 * parameters, row limits), cursors (DECLARE / FETCH / CLOSE), COPY TO STDOUT, and the session's settings.
 * Statements go through the server's {@link StatementRunner}, as the user who connected; this class only
 * translates between the protocol and it. A failed statement answers with an ErrorResponse and leaves the
 * session usable (in extended query, messages up to the next Sync are skipped, as PostgreSQL does).
 *
 * <p>Used by one thread at a time (the connection's messages are handled in order), except {@link #cancel}.
 */
final class PgSession {
    private static final Logger LOG = LoggerFactory.getLogger(PgSession.class);
    /** Rows taken from a result per fetch. */
    private static final int FETCH_ROWS = 1000;
    /** Bytes of rows gathered before they are written out. */
    private static final int SEND_BYTES = 64 * 1024;
    /** How long one wait of a continuous result for rows lasts; the stream waits again after it. */
    private static final Duration STREAM_WAIT = Duration.ofSeconds(10);

    private final PgConnection connection;
    private final StatementRunner runner;
    private final SessionUser user;
    private final SessionProperties properties;
    private final PgSettings settings;
    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private final Map<String, Portal> cursors = new HashMap<>();
    private boolean skipToSync;
    private boolean inTransaction;
    /** What runs now, for a CancelRequest: set while a statement executes or streams. */
    private volatile StatementCancel running;
    private volatile ResultCursor streaming;
    private volatile boolean cancelled;

    PgSession(PgConnection connection, StatementRunner runner, SessionUser user, String userName, SessionProperties properties) {
        this.connection = requireNonNull(connection, "connection is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.user = requireNonNull(user, "user is null");
        this.properties = requireNonNull(properties, "properties is null");
        this.settings = new PgSettings(properties, userName);
    }

    PgSettings settings() {
        return settings;
    }

    /** A parameter of the StartupMessage: a setting of the session; one Weir cannot honour is ignored. */
    void startupParameter(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.equals("user") || key.equals("database") || key.equals("replication") || key.startsWith("_pq_.")) {
            return;
        }
        if (key.equals("options")) {
            // -c name=value pairs, as psql's PGOPTIONS sends them
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:-c\\s*|--)([A-Za-z_.]+)=(\\S+)").matcher(value);
            while (m.find()) {
                startupParameter(m.group(1), m.group(2));
            }
            return;
        }
        try {
            settings.set(key, value);
        } catch (WeirException e) {
            LOG.debug("Ignored startup parameter {}={}: {}", name, value, e.getMessage());
        }
    }

    /** A CancelRequest: what runs stops (a continuous query included) and fails with SQLSTATE 57014. */
    void cancel() {
        cancelled = true;
        StatementCancel current = running;
        if (current != null) {
            current.cancel(cancelledByClient());
        }
        ResultCursor stream = streaming;
        if (stream != null) {
            stream.close();
        }
    }

    private static WeirException cancelledByClient() {
        return new WeirException(ErrorCode.STATEMENT_CANCELLED, "canceling statement due to user request");
    }

    /** The connection ended: every result still open is closed (a continuous query stops). */
    void close() {
        for (Portal portal : List.copyOf(portals.values())) {
            portal.close();
        }
        for (Portal cursor : List.copyOf(cursors.values())) {
            cursor.close();
        }
        portals.clear();
        cursors.clear();
        statements.clear();
    }

    private PgOutput out() {
        return connection.out();
    }

    // ---- messages ----

    CompletionStage<?> handle(char type, ByteBuf body) {
        if (skipToSync && type != 'S') {
            return done();
        }
        try {
            return switch (type) {
                case 'Q' -> simpleQuery(PgConnection.cString(body));
                case 'P' -> {
                    parse(body);
                    yield done();
                }
                case 'B' -> {
                    bind(body);
                    yield done();
                }
                case 'D' -> describe(body);
                case 'E' -> execute(body).exceptionally(failure -> {
                    extendedError(failure);
                    return null;
                });
                case 'C' -> {
                    closeMessage(body);
                    yield done();
                }
                case 'S' -> {
                    sync();
                    yield done();
                }
                case 'H' -> {
                    connection.flush();
                    yield done();
                }
                case 'd', 'c', 'f' -> done(); // COPY FROM data: Weir never asks for it
                case 'F' -> throw new WeirException(ErrorCode.NOT_SUPPORTED, "the function call message is not supported");
                default -> {
                    PgErrors.write(out(), "FATAL", "08P01", "invalid frontend message type '" + PgFrameDecoder.printable(type) + "'", 0);
                    connection.flush().addListener(ignored -> connection.close());
                    yield done();
                }
            };
        } catch (IndexOutOfBoundsException e) {
            throw e;
        } catch (RuntimeException e) {
            extendedError(e);
            return done();
        }
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** An error in extended query: ErrorResponse, then every message up to Sync is skipped. */
    private void extendedError(Throwable failure) {
        error(failure, null, 0);
        skipToSync = true;
        connection.flush();
    }

    /** Writes an ErrorResponse; the position is mapped back through {@code translation} into the client's text. */
    private void error(Throwable failure, PgSql.Translation translation, int offset) {
        WeirException error = cancelled && isCancellation(failure) ? cancelledByClient() : PgErrors.weir(failure);
        int position = 0;
        if (error.position().isPresent() && translation != null) {
            int index = PgErrors.index(translation.sql(), error.position().get());
            if (index >= 0) {
                position = offset + translation.source(index) + 1;
            }
        }
        PgErrors.write(out(), "ERROR", PgErrors.sqlState(error), PgErrors.message(error), position);
    }

    private static boolean isCancellation(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof WeirException weir && "57014".equals(weir.errorCode().sqlState());
    }

    // ---- simple query ----

    private CompletionStage<?> simpleQuery(String query) {
        cancelled = false;
        List<PgSql.Piece> pieces = PgSql.split(query);
        if (pieces.isEmpty()) {
            out().emptyQuery();
            return finishSimple();
        }
        CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
        for (PgSql.Piece piece : pieces) {
            chain = chain.thenCompose(ok -> ok ? simpleStatement(piece) : CompletableFuture.completedFuture(false));
        }
        return chain.handle((ok, failure) -> {
            if (failure != null) {
                error(failure, null, 0);
            }
            return null;
        }).thenCompose(ignored -> finishSimple());
    }

    private CompletionStage<Void> finishSimple() {
        cancelled = false; // a cancel stops what runs when it comes, not what the client sends next
        out().readyForQuery(inTransaction ? 'T' : 'I');
        connection.flush();
        return done();
    }

    /** One statement of a simple query; completes with false after an error (the rest are skipped). */
    private CompletableFuture<Boolean> simpleStatement(PgSql.Piece piece) {
        Prepared prepared;
        Portal portal;
        try {
            prepared = prepare(piece.text(), new int[0], piece.offset());
            portal = new Portal("", prepared, prepared.plan, new short[0]);
            portal.start();
        } catch (RuntimeException e) {
            PgSql.Translation translation = e instanceof PreparationFailure failure ? failure.translation : null;
            error(e instanceof PreparationFailure failure ? failure.getCause() : e, translation, piece.offset());
            return CompletableFuture.completedFuture(false);
        }
        if (portal.copy != null) {
            return portal.copyOut().handle((ignored, failure) -> finishStatement(portal, failure, prepared, piece));
        }
        if (portal.columns != null) {
            rowDescription(portal.columns, portal.formats);
        }
        return portal.send(0).handle((ignored, failure) -> finishStatement(portal, failure, prepared, piece));
    }

    private boolean finishStatement(Portal portal, Throwable failure, Prepared prepared, PgSql.Piece piece) {
        portal.close();
        if (failure != null) {
            error(failure, prepared.translation, piece.offset());
            return false;
        }
        return true;
    }

    // ---- extended query ----

    private void parse(ByteBuf body) {
        String name = PgConnection.cString(body);
        String sql = PgConnection.cString(body);
        int count = body.readShort();
        int[] types = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = body.readInt();
        }
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, "prepared statement \"" + name + "\" already exists");
        }
        try {
            statements.put(name, prepare(sql, types, 0));
        } catch (PreparationFailure failure) {
            error(failure.getCause(), failure.translation, 0);
            skipToSync = true;
            connection.flush();
            return;
        }
        out().parseComplete();
    }

    private void bind(ByteBuf body) {
        String portalName = PgConnection.cString(body);
        String statementName = PgConnection.cString(body);
        short[] parameterFormats = shorts(body);
        int count = body.readShort();
        List<byte[]> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = body.readInt();
            if (length < 0) {
                values.add(null);
            } else {
                byte[] value = new byte[length];
                body.readBytes(value);
                values.add(value);
            }
        }
        short[] resultFormats = shorts(body);
        Prepared prepared = statements.get(statementName);
        if (prepared == null) {
            throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, statementName.isEmpty() ? "unnamed prepared statement does not exist"
                    : "prepared statement \"" + statementName + "\" does not exist");
        }
        if (!portalName.isEmpty() && portals.containsKey(portalName)) {
            throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "portal \"" + portalName + "\" already exists");
        }
        Portal previous = portals.remove(portalName);
        if (previous != null) {
            previous.close();
        }
        PreparedPlan bound = prepared.plan == null ? null : prepared.bind(values, parameterFormats);
        portals.put(portalName, new Portal(portalName, prepared, bound, resultFormats));
        out().bindComplete();
    }

    private static short[] shorts(ByteBuf body) {
        int count = body.readShort();
        short[] values = new short[count];
        for (int i = 0; i < count; i++) {
            values[i] = body.readShort();
        }
        return values;
    }

    private CompletionStage<?> describe(ByteBuf body) {
        char kind = (char) body.readByte();
        String name = PgConnection.cString(body);
        if (kind == 'S') {
            Prepared prepared = statements.get(name);
            if (prepared == null) {
                throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "prepared statement \"" + name + "\" does not exist");
            }
            int[] types = prepared.parameterOids();
            out().begin('t').int16(types.length);
            for (int type : types) {
                out().int32(type);
            }
            out().end();
            List<ResultColumn> columns = prepared.describedColumns();
            if (columns.isEmpty()) {
                out().noData();
            } else {
                rowDescription(columns, new short[0]);
            }
            return done();
        }
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "portal \"" + name + "\" does not exist");
        }
        List<ResultColumn> columns = portal.prepared.describedColumns();
        if (columns.isEmpty() && portal.prepared.needsRunToDescribe()) {
            // SHOW, DESCRIBE: the columns are known once it ran
            cancelled = false;
            portal.start();
            columns = portal.columns == null ? List.of() : portal.columns;
        }
        if (columns.isEmpty()) {
            out().noData();
        } else {
            rowDescription(columns, portal.formats);
        }
        return done();
    }

    private CompletableFuture<Void> execute(ByteBuf body) {
        String name = PgConnection.cString(body);
        int maxRows = body.readInt();
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "portal \"" + name + "\" does not exist");
        }
        if (!portal.started) {
            cancelled = false;
            portal.start();
        }
        if (portal.copy != null) {
            return portal.copyOut();
        }
        return portal.send(maxRows);
    }

    private void closeMessage(ByteBuf body) {
        char kind = (char) body.readByte();
        String name = PgConnection.cString(body);
        if (kind == 'S') {
            statements.remove(name);
        } else {
            Portal portal = portals.remove(name);
            if (portal != null) {
                portal.close();
            }
        }
        out().closeComplete();
    }

    private void sync() {
        skipToSync = false;
        cancelled = false;
        if (!inTransaction) {
            // outside a transaction block, the unnamed portal ends with the implicit transaction
            Portal unnamed = portals.remove("");
            if (unnamed != null) {
                unnamed.close();
            }
        }
        out().readyForQuery(inTransaction ? 'T' : 'I');
        connection.flush();
    }

    private void rowDescription(List<ResultColumn> columns, short[] formats) {
        out().begin('T').int16(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ResultColumn column = columns.get(i);
            out().string(columnName(column.name())).int32(0).int16(0).int32(PgTypes.oid(column.type()))
                    .int16(PgTypes.size(column.type())).int32(PgTypes.modifier(column.type())).int16(format(formats, i));
        }
        out().end();
    }

    /** Calcite's names of unnamed expressions (EXPR$0) as PostgreSQL's. */
    private static String columnName(String name) {
        return name.matches("EXPR\\$\\d+") ? "?column?" : name;
    }

    private static short format(short[] formats, int column) {
        if (formats.length == 0) {
            return 0;
        }
        return formats.length == 1 ? formats[0] : column < formats.length ? formats[column] : 0;
    }

    // ---- statements ----

    /** A failure to prepare, with the translation its position refers to. */
    private static final class PreparationFailure extends RuntimeException {
        final transient PgSql.Translation translation;

        PreparationFailure(RuntimeException cause, PgSql.Translation translation) {
            super(cause);
            this.translation = translation;
        }
    }

    private Prepared prepare(String sql, int[] types, int offset) {
        Optional<PgCommand> command = PgCommand.of(sql);
        if (command.isPresent()) {
            return new Prepared(sql, types, command.get(), null, null);
        }
        if (PgAbsentCatalog.readsNothing(sql)) {
            // it joins a relation Weir does not have, whose PostgreSQL-only expressions need not be planned
            return new Prepared(sql, types, new PgCommand.NoRows(PgAbsentCatalog.selectedColumns(sql)), null, null);
        }
        List<String> castTypes = new ArrayList<>();
        for (int type : types) {
            castTypes.add(PgTypes.castType(type));
        }
        String rewritten = PgDriverQueries.rewrite(sql, settings::get);
        PgSql.Translation translation;
        try {
            translation = PgSql.translate(rewritten, castTypes, settings.get("session_authorization"));
        } catch (WeirException e) {
            // text the translation cannot take ('1 mon 2 days'::interval), at its place in the statement as written
            throw new PreparationFailure(e, PgSql.Translation.identity(rewritten));
        }
        try {
            return prepareTranslated(sql, types, translation);
        } catch (PreparationFailure failure) {
            if (PgCommand.readsAbsentCatalog(translation.sql())) {
                // psql's \d reads policies, publications, statistics objects: Weir has none, which is the answer
                LOG.debug("Answered a catalog query Weir cannot plan with no rows: {}", failure.getCause().getMessage());
                return new Prepared(sql, types, new PgCommand.NoRows(PgAbsentCatalog.selectedColumns(translation.sql())), null, null);
            }
            throw failure;
        }
    }

    private Prepared prepareTranslated(String sql, int[] types, PgSql.Translation translation) {
        try {
            StatementCancel cancel = startRunning();
            try {
                PreparedPlan plan = runner.prepare(properties, translation.sql(), cancel);
                return new Prepared(sql, types, null, translation, plan);
            } finally {
                running = null;
            }
        } catch (RuntimeException e) {
            throw new PreparationFailure(e, translation);
        }
    }

    private StatementCancel startRunning() {
        StatementCancel cancel = new StatementCancel();
        running = cancel;
        if (cancelled) {
            cancel.cancel(cancelledByClient());
        }
        return cancel;
    }

    /** A statement prepared on the session: one the endpoint answers itself, or a plan of Weir's executor. */
    private final class Prepared {
        final String sql;
        final int[] clientTypes;
        final PgCommand command;
        final PgSql.Translation translation;
        final PreparedPlan plan;

        Prepared(String sql, int[] clientTypes, PgCommand command, PgSql.Translation translation, PreparedPlan plan) {
            this.sql = sql;
            this.clientTypes = clientTypes.clone();
            this.command = command;
            this.translation = translation;
            this.plan = plan;
        }

        /** The number of parameters the client binds: the highest $n. */
        int parameterCount() {
            int count = clientTypes.length;
            if (translation != null) {
                for (int number : translation.parameters()) {
                    count = Math.max(count, number);
                }
            }
            return count;
        }

        /** The type of $n: the client's, or the one Weir inferred for its first use. */
        DataType parameterType(int number) {
            if (plan == null || plan.parameters().isEmpty()) {
                return null;
            }
            List<Integer> uses = translation.parameters();
            for (int i = 0; i < uses.size() && i < plan.parameters().size(); i++) {
                if (uses.get(i) == number) {
                    return plan.parameters().get(i).type();
                }
            }
            return null;
        }

        int[] parameterOids() {
            int[] oids = new int[parameterCount()];
            for (int n = 1; n <= oids.length; n++) {
                int given = n - 1 < clientTypes.length ? clientTypes[n - 1] : 0;
                DataType inferred = parameterType(n);
                oids[n - 1] = given != 0 ? given : inferred != null ? PgTypes.oid(inferred) : PgTypes.TEXT;
            }
            return oids;
        }

        /** The columns of the result, as known before it runs. */
        List<ResultColumn> describedColumns() {
            if (plan != null) {
                return plan.columns();
            }
            if (command instanceof PgCommand.Show show && show.name().equals("all")) {
                return List.of(new ResultColumn("name", DataType.varchar()), new ResultColumn("setting", DataType.varchar()));
            }
            if (command instanceof PgCommand.Show show) {
                return List.of(new ResultColumn(show.name().replace(' ', '_').equals("transaction_isolation_level")
                        ? "transaction_isolation" : show.name(), DataType.varchar()));
            }
            if (command instanceof PgCommand.NoRows noRows) {
                return noRows.columns();
            }
            if (command instanceof PgCommand.Fetch fetch) {
                Portal cursor = cursors.get(fetch.cursor());
                return cursor == null || cursor.columns == null ? List.of() : cursor.columns;
            }
            return List.of();
        }

        /** Whether the columns are known only once the statement ran (SHOW, DESCRIBE of Weir). */
        boolean needsRunToDescribe() {
            return plan != null && plan.columns().isEmpty() && plan.producesRows();
        }

        PreparedPlan bind(List<byte[]> values, short[] formats) {
            int count = parameterCount();
            if (values.size() != count) {
                throw new WeirException(ErrorCode.PROTOCOL_VIOLATION, "bind message supplies " + values.size()
                        + " parameters, but prepared statement requires " + count);
            }
            List<Integer> uses = translation == null ? List.of() : translation.parameters();
            List<Object> bound = new ArrayList<>(uses.size());
            for (int i = 0; i < uses.size(); i++) {
                int number = uses.get(i);
                DataType type = i < plan.parameters().size() ? plan.parameters().get(i).type() : null;
                int oid = number - 1 < clientTypes.length ? clientTypes[number - 1] : 0;
                int format = formats.length == 0 ? 0 : formats.length == 1 ? formats[0] : formats[number - 1];
                if (type == null) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, "could not determine data type of parameter $" + number
                            + "; give it a type (CAST($" + number + " AS type) or $" + number + "::type)");
                }
                bound.add(PgTypes.parameter(type, oid, format, values.get(number - 1), number));
            }
            // the executor converts each value to its parameter's type (07006, 22018 and 22003 for values it cannot take)
            return runner.bind(properties, plan, bound);
        }
    }

    /**
     * A prepared statement bound to its parameters, and its result once it ran: the rows still to send,
     * possibly in several Executes with row limits.
     */
    private final class Portal {
        final String name;
        final Prepared prepared;
        final PreparedPlan bound;
        final short[] formats;
        boolean started;
        /** The result's columns; null for a statement without rows. */
        List<ResultColumn> columns;
        ResultCursor cursor;
        /** The execution's cancellation: a bounded result's rows stop at it. */
        StatementCancel execution;
        boolean continuous;
        long offset;
        String tag;
        List<String> warnings = List.of();
        /** For FETCH: the cursor fetched from, how many rows, how long to wait. */
        PgCommand.Fetch fetch;
        /** For COPY TO STDOUT: the command. */
        PgCommand.Copy copy;

        Portal(String name, Prepared prepared, PreparedPlan bound, short[] formats) {
            this.name = name;
            this.prepared = prepared;
            this.bound = bound;
            this.formats = formats.clone();
        }

        /** Runs the statement: its rows are then sent by {@link #send}. */
        void start() {
            started = true;
            if (prepared.command != null) {
                startCommand(prepared.command);
                return;
            }
            execution = startRunning();
            try {
                open(runner.execute(properties, user, bound, execution, 0), prepared.sql);
            } finally {
                running = null;
            }
        }

        private void open(StatementRunner.Outcome outcome, String sql) {
            if (outcome instanceof StatementRunner.Outcome.Count count) {
                tag = commandTag(sql, count.count());
                warnings = count.warnings();
                return;
            }
            StatementRunner.Outcome.Rows rows = (StatementRunner.Outcome.Rows) outcome;
            columns = rows.columns();
            cursor = rows.cursor();
            continuous = rows.continuous();
        }

        private void startCommand(PgCommand command) {
            if (command instanceof PgCommand.NoOp noOp) {
                if (noOp.transaction() == PgCommand.TransactionChange.BEGIN) {
                    inTransaction = true;
                } else if (noOp.transaction() == PgCommand.TransactionChange.END) {
                    inTransaction = false;
                    // PostgreSQL closes a transaction's portals at its end; cursors are kept (Weir's are WITH HOLD)
                    for (Portal portal : List.copyOf(portals.values())) {
                        if (portal != this) {
                            portals.remove(portal.name);
                            portal.close();
                        }
                    }
                }
                tag = noOp.tag();
            } else if (command instanceof PgCommand.Set set) {
                settings.set(set.name(), set.value()).ifPresent(name -> out().parameterStatus(name, settings.get(name)));
                tag = "SET";
            } else if (command instanceof PgCommand.Reset reset) {
                settings.reset(reset.name()).ifPresent(name -> out().parameterStatus(name, settings.get(name)));
                tag = "RESET";
            } else if (command instanceof PgCommand.Show show) {
                columns = prepared.describedColumns();
                if (show.name().equals("all")) {
                    List<Object[]> rows = new ArrayList<>();
                    settings.all().forEach((name, value) -> rows.add(new Object[] {name, value}));
                    cursor = new ListCursor(rows);
                } else {
                    cursor = new ListCursor(List.<Object[]>of(new Object[] {settings.get(show.name())}));
                }
                tag = "SHOW";
            } else if (command instanceof PgCommand.Declare declare) {
                if (cursors.containsKey(declare.name())) {
                    throw new WeirException(ErrorCode.OBJECT_ALREADY_EXISTS, "cursor \"" + declare.name() + "\" already exists");
                }
                Prepared query = prepare(declare.query(), new int[0], 0);
                if (query.plan == null || !query.plan.producesRows()) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, "DECLARE CURSOR needs a query (SELECT or SELECT STREAM)");
                }
                Portal declared = new Portal(declare.name(), query, query.plan, new short[0]);
                declared.start();
                cursors.put(declare.name(), declared);
                tag = "DECLARE CURSOR";
            } else if (command instanceof PgCommand.Fetch fetchCommand) {
                Portal from = cursors.get(fetchCommand.cursor());
                if (from == null) {
                    throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "cursor \"" + fetchCommand.cursor() + "\" does not exist");
                }
                columns = from.columns;
                fetch = fetchCommand;
            } else if (command instanceof PgCommand.Close close) {
                if (close.cursor() == null) {
                    cursors.values().forEach(Portal::close);
                    cursors.clear();
                } else {
                    Portal closed = cursors.remove(close.cursor());
                    if (closed == null) {
                        throw new WeirException(ErrorCode.UNKNOWN_STATEMENT, "cursor \"" + close.cursor() + "\" does not exist");
                    }
                    closed.close();
                }
                tag = "CLOSE CURSOR";
            } else if (command instanceof PgCommand.Copy copyCommand) {
                Prepared query = prepare(copyCommand.query(), new int[0], 0);
                if (query.plan == null || !query.plan.producesRows()) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, "COPY ... TO STDOUT needs a query");
                }
                execution = startRunning();
                try {
                    open(runner.execute(properties, user, query.plan, execution, 0), copyCommand.query());
                } finally {
                    running = null;
                }
                copy = copyCommand;
            } else if (command instanceof PgCommand.NoRows noRows) {
                columns = noRows.columns();
                cursor = new ListCursor(List.of());
                tag = "SELECT 0";
            } else if (command instanceof PgCommand.Deallocate deallocate) {
                if (deallocate.name() == null) {
                    statements.keySet().removeIf(statementName -> !statementName.isEmpty());
                } else {
                    statements.remove(deallocate.name());
                }
                tag = "DEALLOCATE";
            }
        }

        /**
         * Sends up to {@code maxRows} rows (0: all of them; for a continuous result, until it is cancelled),
         * then CommandComplete, or PortalSuspended when rows remain.
         */
        CompletableFuture<Void> send(int maxRows) {
            warnings.forEach(warning -> PgErrors.warning(out(), warning));
            warnings = List.of();
            if (fetch != null) {
                Portal from = cursors.get(fetch.cursor());
                if (from == null) {
                    return CompletableFuture.failedFuture(new WeirException(ErrorCode.UNKNOWN_STATEMENT,
                            "cursor \"" + fetch.cursor() + "\" does not exist"));
                }
                long count = fetch.count() == 0 ? maxRows : maxRows == 0 ? fetch.count() : Math.min(maxRows, fetch.count());
                return new Pump(from, formats, count, fetch.timeout(), false, null).run()
                        .thenAccept(sent -> out().commandComplete("FETCH " + sent));
            }
            if (cursor == null) {
                out().commandComplete(tag);
                return done();
            }
            return new Pump(this, formats, maxRows, Optional.empty(), true, null).run().thenAccept(sent -> {
                if (cursor == null) {
                    out().commandComplete(commandTag(prepared.sql, sent));
                } else {
                    out().portalSuspended();
                }
            });
        }

        /** COPY TO STDOUT: CopyOutResponse, a CopyData per row, CopyDone. */
        CompletableFuture<Void> copyOut() {
            out().begin('H').int8(0).int16(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                out().int16(0);
            }
            out().end();
            if (copy.header()) {
                List<String> names = columns.stream().map(ResultColumn::name).toList();
                out().begin('d').bytes((String.join(copy.csv() ? "," : "\t", names) + "\n").getBytes(StandardCharsets.UTF_8)).end();
            }
            connection.flush();
            return new Pump(this, new short[0], 0, Optional.empty(), true, copy).run().thenAccept(sent -> {
                out().begin('c').end();
                out().commandComplete("COPY " + sent);
            });
        }

        void close() {
            ResultCursor open = cursor;
            cursor = null;
            if (open != null) {
                open.close();
            }
        }
    }

    /**
     * Sends the rows of a portal's result as they come: fetches, writes DataRows (or COPY lines), flushes
     * after each batch of a continuous result, and waits for the client when it reads slower than rows
     * come. Completes with the number of rows sent.
     */
    private final class Pump {
        private final Portal portal;
        private final short[] formats;
        private final long maxRows;
        private final Optional<Duration> firstWait;
        private final boolean stream;
        private final PgCommand.Copy copy;
        private final CompletableFuture<Long> finished = new CompletableFuture<>();
        private long sent;

        /**
         * @param maxRows rows to send at most; 0 for all
         * @param firstWait for FETCH: how long to wait for the first row (empty: until there is one); after it,
         *        only rows ready at once are sent
         * @param stream whether to send until the end (or maxRows), rather than what is ready (FETCH)
         */
        Pump(Portal portal, short[] formats, long maxRows, Optional<Duration> firstWait, boolean stream, PgCommand.Copy copy) {
            this.portal = portal;
            this.formats = formats;
            this.maxRows = maxRows;
            this.firstWait = firstWait;
            this.stream = stream;
            this.copy = copy;
        }

        CompletableFuture<Long> run() {
            if (portal.cursor == null) {
                finished.complete(0L);
                return finished;
            }
            streaming = portal.continuous ? portal.cursor : null;
            running = portal.execution;
            finished.whenComplete((count, failure) -> {
                streaming = null;
                running = null;
            });
            next();
            return finished;
        }

        private void next() {
            try {
                while (true) {
                    if (cancelled) {
                        throw cancelledByClient();
                    }
                    ResultCursor cursor = portal.cursor;
                    if (cursor == null) {
                        finished.complete(sent);
                        return;
                    }
                    int want = (int) (maxRows > 0 ? Math.min(FETCH_ROWS, maxRows - sent) : FETCH_ROWS);
                    CompletableFuture<Meta.Frame> frame;
                    if (portal.continuous) {
                        Duration wait = !stream && sent > 0 ? Duration.ZERO : firstWait.orElse(STREAM_WAIT);
                        frame = cursor.fetch(portal.offset, want, wait);
                    } else {
                        StatementCancel cancel = portal.execution != null ? portal.execution : new StatementCancel();
                        frame = runner.timed(properties, cancel, () -> cursor.fetch(portal.offset, want, Duration.ZERO));
                    }
                    if (!frame.isDone()) {
                        // rows are formatted on the endpoint's request threads, not on the thread that completed the fetch
                        frame.whenCompleteAsync((answer, failure) -> {
                            try {
                                if (received(answer, failure)) {
                                    connection.whenWritable().thenRunAsync(this::next, connection.executor());
                                }
                            } catch (RuntimeException e) {
                                finished.completeExceptionally(e);
                            }
                        }, connection.executor());
                        return;
                    }
                    Meta.Frame answer;
                    try {
                        answer = frame.join();
                    } catch (CompletionException e) {
                        received(null, e.getCause());
                        return;
                    }
                    if (!received(answer, null)) {
                        return;
                    }
                    if (!connection.active()) {
                        finished.completeExceptionally(new WeirException(ErrorCode.CONNECTION_ERROR, "the client disconnected"));
                        return;
                    }
                    CompletableFuture<Void> writable = connection.whenWritable();
                    if (!writable.isDone()) {
                        writable.thenRunAsync(this::next, connection.executor());
                        return;
                    }
                }
            } catch (RuntimeException e) {
                finished.completeExceptionally(e);
            }
        }

        /** Writes the rows of a frame; returns whether to fetch again (false once finished). */
        private boolean received(Meta.Frame answer, Throwable failure) {
            if (failure != null) {
                finished.completeExceptionally(cancelled ? cancelledByClient() : failure);
                return false;
            }
            int rows = 0;
            for (Object row : answer.rows) {
                writeRow((Object[]) row);
                rows++;
            }
            sent += rows;
            portal.offset += rows;
            if (cancelled) {
                finished.completeExceptionally(cancelledByClient());
                return false;
            }
            if (answer.done) {
                portal.close();
                finished.complete(sent);
                return false;
            }
            if (portal.continuous && rows > 0) {
                connection.flush(); // a batch of a continuous result leaves at once
            } else {
                connection.sendIfLarge(SEND_BYTES);
            }
            if (maxRows > 0 && sent >= maxRows) {
                finished.complete(sent);
                return false;
            }
            if (!stream && portal.continuous && rows == 0 && (sent > 0 || firstWait.isPresent())) {
                // FETCH: what was ready (within its timeout) is sent
                finished.complete(sent);
                return false;
            }
            return true;
        }

        private void writeRow(Object[] row) {
            List<ResultColumn> columns = portal.columns;
            if (copy != null) {
                out().begin('d').bytes(PgCopy.line(columns, row, copy.csv())).end();
                return;
            }
            out().begin('D').int16(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                DataType type = columns.get(i).type();
                Object value = i < row.length ? row[i] : null;
                out().value(format(formats, i) == 1 ? PgTypes.binary(type, value) : PgTypes.text(type, value));
            }
            out().end();
        }
    }

    /** The command tag of a statement that ran: SELECT n, INSERT 0 n, CREATE STREAM, ... */
    static String commandTag(String sql, long rows) {
        String[] words = PgSql.stripComments(sql).strip().split("\\s+");
        String first = words.length == 0 ? "" : words[0].toUpperCase(Locale.ROOT);
        return switch (first) {
            case "SELECT", "VALUES", "WITH", "TABLE", "SHOW", "DESCRIBE", "EXPLAIN", "(" -> "SELECT " + rows;
            case "INSERT" -> "INSERT 0 " + rows;
            case "CREATE", "DROP", "ALTER" -> {
                StringBuilder tag = new StringBuilder(first);
                for (int i = 1; i < words.length && i < 4; i++) {
                    String word = words[i].toUpperCase(Locale.ROOT);
                    if (!word.matches("[A-Z]+") || word.equals("IF")) {
                        break;
                    }
                    tag.append(' ').append(word);
                    if (!word.equals("OR") && !word.equals("REPLACE") && !word.equals("MATERIALIZED") && !word.equals("REFERENCE")) {
                        break;
                    }
                }
                yield tag.toString();
            }
            default -> first.isEmpty() ? "OK" : first;
        };
    }

    /** Rows the endpoint made itself (SHOW): one frame. */
    private static final class ListCursor implements ResultCursor {
        private final List<Object[]> rows;

        ListCursor(List<Object[]> rows) {
            this.rows = rows;
        }

        @Override
        public CompletableFuture<Meta.Frame> fetch(long offset, int maxRowCount, Duration maxWait) {
            int from = (int) Math.min(offset, rows.size());
            int to = maxRowCount > 0 ? (int) Math.min(rows.size(), from + (long) maxRowCount) : rows.size();
            return CompletableFuture.completedFuture(new Meta.Frame(offset, to == rows.size(),
                    new ArrayList<Object>(rows.subList(from, to))));
        }

        @Override
        public void close() {
        }
    }
}
