package io.weir.engine.testing;

import io.weir.engine.expression.EvaluationContext;
import io.weir.engine.join.TwoInputOperator;
import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.spi.batch.Batch;
import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Drives one operator through micro-batches the way QueryRunner does: startBatch, each input's
 * batches (output drained after each), each input's end-of-batch watermark, output drained again.
 */
public final class MicroBatchDriver {
    /**
     * One micro-batch: per input its rows and its watermark at the end of the batch.
     *
     * @param processingTime the batch's processing time
     * @param chunkEnds per input, where its first chunk ends (the rows are handed over in two); -1 for the middle
     */
    public record MicroBatch(List<List<Object[]>> rows, List<Watermark> watermarks, long processingTime, List<Integer> chunkEnds) {
        public MicroBatch {
            rows = List.copyOf(rows);
            watermarks = List.copyOf(watermarks);
            chunkEnds = List.copyOf(chunkEnds);
            if (rows.size() != watermarks.size() || rows.size() != chunkEnds.size()) {
                throw new IllegalArgumentException("rows, watermarks and chunk ends per input");
            }
        }

        public MicroBatch(List<List<Object[]>> rows, List<Watermark> watermarks, long processingTime) {
            this(rows, watermarks, processingTime, java.util.Collections.nCopies(rows.size(), -1));
        }

        /** Where input {@code input}'s first chunk ends. */
        public int chunkEnd(int input) {
            int end = chunkEnds.get(input);
            return end < 0 ? rows.get(input).size() / 2 : end;
        }

        public static MicroBatch single(List<Object[]> rows, Watermark watermark, long processingTime) {
            return new MicroBatch(List.of(rows), List.of(watermark), processingTime);
        }
    }

    private final List<List<DataType.Field>> inputTypes;

    public MicroBatchDriver(List<List<DataType.Field>> inputTypes) {
        this.inputTypes = List.copyOf(requireNonNull(inputTypes, "inputTypes is null"));
    }

    /** Runs the batches; returns each batch's output rows, as strings, in output order. */
    public List<List<String>> run(Operator operator, List<MicroBatch> batches) {
        List<List<String>> outputs = new ArrayList<>();
        for (MicroBatch batch : batches) {
            List<String> output = new ArrayList<>();
            operator.startBatch(new EvaluationContext(batch.processingTime(), Long.MIN_VALUE));
            for (int input = 0; input < batch.rows().size(); input++) {
                List<Object[]> rows = batch.rows().get(input);
                if (rows.isEmpty()) {
                    continue;
                }
                // two chunks per input, as a source hands over a batch's rows in pieces
                int half = batch.chunkEnd(input);
                for (List<Object[]> chunk : List.of(rows.subList(0, half), rows.subList(half, rows.size()))) {
                    if (chunk.isEmpty()) {
                        continue;
                    }
                    Batch data = Batch.of(inputTypes.get(input), chunk);
                    if (operator instanceof TwoInputOperator join) {
                        join.addInput(input, data);
                    } else {
                        operator.addInput(data);
                    }
                    drain(operator, output);
                }
            }
            for (int input = 0; input < batch.watermarks().size(); input++) {
                operator.processWatermark(input, batch.watermarks().get(input));
            }
            drain(operator, output);
            outputs.add(output);
        }
        return outputs;
    }

    /** Finishes the operator and returns what it flushes. */
    public static List<String> finish(Operator operator) {
        List<String> output = new ArrayList<>();
        operator.finish();
        drain(operator, output);
        return output;
    }

    private static void drain(Operator operator, List<String> into) {
        Batch batch;
        while ((batch = operator.getOutput()) != null) {
            for (Object[] row : batch.rows()) {
                into.add(Arrays.deepToString(row));
            }
        }
    }
}
