package io.weir.connector.jdbc;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Writes a persistent query's rows into one table, each writer over its own connection. How a writer
 * commits follows from {@code 'delivery.guarantee'} and the declared key:
 * <ul>
 * <li>upserts (a {@code PRIMARY KEY}) commit at every flush: a replay after a failure writes the same
 *     rows by the same keys again, so the final table is that of a run without failure (exactly
 *     once), though readers may briefly see older values of replayed keys;</li>
 * <li>appends (no key) with {@code exactly-once} commit with the query's checkpoints, recording each
 *     in the progress table under the writer id of the query and sink, once the engine has called
 *     {@link SinkWriter#recover} (before that, and if it never does, every flush commits);</li>
 * <li>with {@code at-least-once}, and for appends of a query without a writer id (one that does not
 *     persist, so takes no checkpoints), every flush commits.</li>
 * </ul>
 */
final class JdbcSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);

    private final ConnectorContext context;
    private final JdbcSettings settings;

    JdbcSink(ConnectorContext context, JdbcSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public SinkWriter createWriter() {
        Optional<CommitProgress> progress = commitProgress();
        boolean exactlyOnce = settings.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE
                && (progress.isPresent() || !context.primaryKey().isEmpty());
        return new JdbcSinkWriter(context, settings, Backoff.DEFAULT,
                exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE, progress);
    }

    /** Where appends record their commits when they are committed at checkpoints; empty when every flush commits. */
    private Optional<CommitProgress> commitProgress() {
        if (settings.deliveryGuarantee() != DeliveryGuarantee.EXACTLY_ONCE || !context.primaryKey().isEmpty()) {
            return Optional.empty();
        }
        if (context.consumerId().isEmpty()) {
            LOG.debug("{}: no writer id (the query takes no checkpoints), so every flush commits", context.describe());
            return Optional.empty();
        }
        String writerId = context.consumerId().get();
        if (writerId.length() > ProgressTable.MAX_WRITER_ID_LENGTH) {
            throw new WeirException(ErrorCode.NOT_SUPPORTED, context.describe() + ": the writer id '" + writerId
                    + "' is longer than the " + ProgressTable.MAX_WRITER_ID_LENGTH + " characters the progress table "
                    + "holds; use a shorter sink name or query id, or set 'delivery.guarantee' = 'at-least-once'");
        }
        return Optional.of(new CommitProgress(new ProgressTable(settings.dialect(), settings.progressTable()), writerId));
    }
}
