package io.weir.server.demo;

import io.weir.server.meta.ServerContext;
import io.weir.spi.WeirException;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ObjectType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The demo's catalog objects — stream {@code weblogs} over the generated topic and stream
 * {@code alerts} over the topic alert rows go to — registered through the server's own statement
 * executor as SQL DDL, so they are ordinary streams a user can DESCRIBE, replace or drop. Existing
 * objects of those names are left alone (a restarted demo finds them in the catalog).
 */
public final class DemoStreams {
    private static final Logger LOG = LoggerFactory.getLogger(DemoStreams.class);
    public static final String WEBLOGS = "weblogs";
    public static final String ALERTS = "alerts";
    private static final String BOOTSTRAP_OPTION = "bootstrap.servers";
    private static final String CONNECTOR_OPTION = "connector";
    /** Options that say where a connector reads, in the order they are tried: the first one present is shown. */
    private static final List<String> SOURCE_OPTIONS = List.of(BOOTSTRAP_OPTION, "path", "endpoint", "host", "profile");

    /** What {@link #register} did, for the console. */
    public record Registration(boolean alertsAvailable, List<String> notes) {
        public Registration {
            notes = List.copyOf(notes);
        }
    }

    private DemoStreams() {
    }

    static String weblogsDdl(String bootstrapServers) {
        return "CREATE STREAM IF NOT EXISTS " + WEBLOGS + " (\n"
                + "  ts TIMESTAMP(3), ip VARCHAR, \"user\" VARCHAR, method VARCHAR, url VARCHAR,\n"
                + "  status INT, bytes BIGINT, latency INT,\n"
                + "  WATERMARK FOR ts AS ts - INTERVAL '2' SECOND\n"
                + ") WITH ('connector' = 'kafka', 'topic' = '" + WEBLOGS + "', 'bootstrap.servers' = '" + bootstrapServers
                + "',\n"
                + "        'format' = 'json', 'scan.startup.mode' = 'latest-offset', 'watermark.idle-timeout' = '5 s')";
    }

    static String alertsDdl(String bootstrapServers) {
        return "CREATE STREAM IF NOT EXISTS " + ALERTS + " (\n"
                + "  window_end TIMESTAMP(3), url VARCHAR, requests BIGINT, errors BIGINT\n"
                + ") WITH ('connector' = 'kafka', 'topic' = '" + ALERTS + "', 'bootstrap.servers' = '" + bootstrapServers
                + "',\n"
                + "        'format' = 'json', 'scan.startup.mode' = 'latest-offset')";
    }

    /** Registers {@code weblogs} (failing if it cannot) and {@code alerts} (noting why if it cannot). */
    public static Registration register(ServerContext context, String bootstrapServers) {
        requireNonNull(context, "context is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        List<String> notes = new ArrayList<>();
        createUnlessPresent(context, WEBLOGS, weblogsDdl(bootstrapServers), bootstrapServers, notes);
        boolean alerts;
        try {
            createUnlessPresent(context, ALERTS, alertsDdl(bootstrapServers), bootstrapServers, notes);
            alerts = true;
        } catch (WeirException e) {
            // The Kafka sink may not be part of this build yet; the rest of the demo works without it.
            LOG.warn("Stream '{}' not registered: {}", ALERTS, e.getMessage());
            notes.add("Stream '" + ALERTS + "' could not be registered (" + e.getMessage()
                    + "); the alert query below needs it.");
            alerts = false;
        }
        return new Registration(alerts, notes);
    }

    private static void createUnlessPresent(ServerContext context, String name, String ddl, String bootstrapServers,
                                            List<String> notes) {
        Optional<CatalogObject> existing = context.catalog().get(name);
        if (existing.isPresent()) {
            CatalogObject object = existing.get();
            String servers = object.options().get(BOOTSTRAP_OPTION);
            if (!bootstrapServers.equals(servers)) {
                String note = object.type().capitalizedName() + " '" + object.name() + "' exists already and reads from "
                        + source(object) + ", not from the demo broker at " + bootstrapServers + "; DROP "
                        + object.type().sqlName() + " " + object.name() + " CASCADE (which also drops the views and stops"
                        + " the queries that read it) and restart the demo to re-create it.";
                LOG.warn(note);
                notes.add(note);
            } else {
                LOG.info("Stream '{}' is registered already", name);
            }
            return;
        }
        context.executor().execute(context.newSessionProperties(), ddl);
    }

    /** Where an existing object reads from, in words: its connector and the option that names the source. */
    static String source(CatalogObject object) {
        Map<String, String> options = object.options();
        String connector = options.get(CONNECTOR_OPTION);
        if (connector == null) {
            return object.type() == ObjectType.STREAM || object.type() == ObjectType.TABLE
                    ? "no connector" : "a query (it is a " + object.type().displayName().toLowerCase(Locale.ROOT) + ")";
        }
        StringBuilder text = new StringBuilder("connector '").append(connector).append('\'');
        for (String option : SOURCE_OPTIONS) {
            String value = options.get(option);
            if (value != null) {
                text.append(" ('").append(option).append("' = '").append(value).append("')");
                break;
            }
        }
        return text.toString();
    }

    /** The example statements the demo prints, ready to paste into bin/weir-sql. */
    public static String examples(String jdbcUrl, String bootstrapServers, Registration registration) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, """
                Weir demo: web-server logs flow into Kafka topic '%s' on %s; stream '%s' reads them.
                Connect with   bin/weir-sql%s
                and paste a continuous query (Ctrl-C in bin/weir-sql stops it):

                -- Hits per URL and status, every 10 seconds (first rows after about 12 s)
                %s;

                -- Error rate per minute
                %s;

                -- Alerts: URLs with 10 or more server errors in a minute, written to topic '%s'.
                -- This is a persistent query: it keeps running after you disconnect and after a restart
                -- (run it once; SHOW QUERIES lists it, STOP QUERY 'id' stops it).
                %s;

                -- Watch the alerts (second bin/weir-sql session), or with Kafka's own tools:
                -- (alerts arrive with each checkpoint, every 10 s: the sink writes them exactly once, in transactions)
                --   kafka-console-consumer.sh --bootstrap-server %s --topic %s --isolation-level read_committed
                %s;
                """,
                WEBLOGS, bootstrapServers, WEBLOGS,
                jdbcUrl.equals("jdbc:weir://127.0.0.1:8765") ? "" : " -u " + (jdbcUrl.contains("?") ? "'" + jdbcUrl + "'" : jdbcUrl),
                hitsQuery(), errorRateQuery(), ALERTS, alertQuery(), bootstrapServers, ALERTS, watchAlertsQuery()));
        for (String note : registration.notes()) {
            text.append("\nNote: ").append(note).append('\n');
        }
        text.append("\nStop the demo with Ctrl-C; its catalog and Kafka data stay in the data directory.\n");
        return text.toString();
    }

    public static String hitsQuery() {
        return """
                SELECT STREAM TUMBLE_END(ts, INTERVAL '10' SECOND) AS window_end, url, status, COUNT(*) AS hits
                FROM weblogs
                GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), url, status""";
    }

    public static String errorRateQuery() {
        return """
                SELECT STREAM TUMBLE_END(ts, INTERVAL '1' MINUTE) AS minute_end, COUNT(*) AS requests,
                       SUM(CASE WHEN status >= 500 THEN 1 ELSE 0 END) AS errors,
                       100.0 * SUM(CASE WHEN status >= 500 THEN 1 ELSE 0 END) / COUNT(*) AS error_pct
                FROM weblogs
                GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)""";
    }

    public static String alertQuery() {
        return """
                INSERT INTO alerts
                SELECT STREAM TUMBLE_END(ts, INTERVAL '1' MINUTE) AS window_end, url, COUNT(*) AS requests,
                       SUM(CASE WHEN status >= 500 THEN 1 ELSE 0 END) AS errors
                FROM weblogs
                GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE), url
                HAVING SUM(CASE WHEN status >= 500 THEN 1 ELSE 0 END) >= 10""";
    }

    public static String watchAlertsQuery() {
        return "SELECT STREAM * FROM alerts";
    }
}
