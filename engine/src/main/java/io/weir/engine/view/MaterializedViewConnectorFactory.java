package io.weir.engine.view;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code 'connector' = 'materialized-view'}: used by Weir itself, not in DDL. As a sink it is where a
 * materialized view's query writes ({@link ViewStore}); as a source it is the view's change stream,
 * {@code SELECT STREAM * FROM view}: the {@code op} column, then the view's columns.
 */
public final class MaterializedViewConnectorFactory implements ConnectorFactory {
    public static final String NAME = "materialized-view";
    public static final String OP_COLUMN = "op";
    public static final ConfigOption VIEW = ConfigOption.string("view", "The materialized view").asRequired();
    public static final ConfigOption KEY_COLUMNS = ConfigOption.list("view.key-columns",
            "Positions (from 0) of the columns that identify a row of the view");
    public static final ConfigOption KEEP_COLUMN = ConfigOption.bool("view.keep-column",
            "Whether written rows carry a trailing BOOLEAN saying whether the row belongs in the view")
            .withDefault("false");
    public static final ConfigOption WINDOW_END_COLUMN = ConfigOption.integer("view.window-end-column",
            "Position of the window end column, for retention");
    public static final ConfigOption RETENTION = ConfigOption.duration("retention",
            "Remove windows that ended this long before the latest window end (views without windows: rows not"
                    + " written for this long)");
    public static final ConfigOption CHANGE_BUFFER = ConfigOption.integer("view.change-buffer",
            "Changes a change-stream reader may fall behind before it is cut off").withDefault("100000");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Internal: where a materialized view's query writes, and the view's change stream (SELECT STREAM * FROM view)";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(VIEW, KEY_COLUMNS, KEEP_COLUMN, WINDOW_END_COLUMN, RETENTION, CHANGE_BUFFER);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.none();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.SINK);
    }

    @Override
    public void validate(ConnectorContext context) {
        throw new WeirException(ErrorCode.NOT_SUPPORTED, context.describe() + ": connector '" + NAME
                + "' is Weir's own; create a view with CREATE MATERIALIZED VIEW name AS SELECT ...");
    }

    @Override
    public Source createSource(ConnectorContext context) {
        String view = context.options().string(VIEW);
        int maxPending = context.options().integer(CHANGE_BUFFER);
        return new Source() {
            @Override
            public boolean isBounded() {
                return false;
            }

            @Override
            public boolean startsAtLiveEnd() {
                return false; // a reader starts with the view's current rows
            }

            @Override
            public SourceReader createReader() {
                return new ChangeReader(context.describe(), views(context), view, maxPending);
            }
        };
    }

    @Override
    public Sink createSink(ConnectorContext context) {
        String view = context.options().string(VIEW);
        boolean keep = context.options().bool(KEEP_COLUMN);
        List<DataType.Field> columns = keep ? context.schema().subList(0, context.schema().size() - 1) : context.schema();
        ViewLayout layout = new ViewLayout(columns,
                context.options().isSet(KEY_COLUMNS)
                        ? context.options().list(KEY_COLUMNS).stream().map(Integer::parseInt).toList() : List.of(),
                keep,
                context.options().isSet(WINDOW_END_COLUMN) ? Optional.of(context.options().integer(WINDOW_END_COLUMN))
                        : Optional.empty(),
                context.options().getDuration(RETENTION));
        MaterializedViews views = views(context);
        return () -> {
            ViewStore store = views.open(view, layout, context.clock());
            return new SinkWriter() {
                @Override
                public void write(Batch batch) {
                    store.apply(batch);
                }

                @Override
                public void flush() {
                    store.publish();
                }

                @Override
                public DeliveryGuarantee guarantee() {
                    return DeliveryGuarantee.EXACTLY_ONCE; // the rows are part of the query's checkpoints
                }

                @Override
                public byte[] prepareCommit(long checkpointId) {
                    return store.checkpoint();
                }

                @Override
                public boolean recover(Optional<PreparedCommit> newest) {
                    newest.ifPresent(prepared -> store.restore(prepared.state()));
                    return true;
                }

                @Override
                public void close() {
                    // the rows stay readable until the view is dropped or its query starts again
                }
            };
        };
    }

    /** The server's view stores, which it hands its connectors. */
    private static MaterializedViews views(ConnectorContext context) {
        return context.services().find(MaterializedViews.class).orElseThrow(() -> new WeirException(ErrorCode.INTERNAL_ERROR,
                context.describe() + ": connector '" + NAME + "' runs only in a server with materialized views"));
    }

    /** Reads a view's changes: the op column, then the row. */
    private static final class ChangeReader implements SourceReader {
        private final String described;
        private final MaterializedViews views;
        private final String view;
        private final int maxPending;
        private final List<Split> splits;
        private ChangeSubscription subscription;

        ChangeReader(String described, MaterializedViews views, String view, int maxPending) {
            this.described = described;
            this.views = views;
            this.view = view;
            this.maxPending = maxPending;
            this.splits = List.of(new Split(0, "changes of " + view, false));
        }

        @Override
        public int poll(BatchBuilder out, int maxRows) {
            if (subscription == null) {
                ViewStore store = views.get(view).orElseThrow(() -> new WeirException(ErrorCode.SOURCE_ERROR,
                        described + ": materialized view '" + view + "' is not running; SHOW QUERIES tells why"));
                subscription = store.subscribe(maxPending);
            }
            if (subscription.overflowed()) {
                throw new WeirException(ErrorCode.SOURCE_ERROR, described + ": this query fell more than " + maxPending
                        + " changes behind materialized view '" + view + "' and missed some; fetch faster or filter more");
            }
            int added = 0;
            ViewChange change;
            while (added < maxRows && (change = subscription.poll()) != null) {
                out.setSplit(0);
                out.set(0, change.operation().name());
                Object[] row = change.row();
                for (int i = 0; i < row.length; i++) {
                    out.set(i + 1, row[i]);
                }
                out.commitRow();
                added++;
            }
            return added;
        }

        @Override
        public List<Split> splits() {
            return splits;
        }

        @Override
        public boolean isFinished() {
            return subscription != null && subscription.ended();
        }

        @Override
        public void close() {
            if (subscription != null) {
                subscription.close();
            }
        }
    }
}
