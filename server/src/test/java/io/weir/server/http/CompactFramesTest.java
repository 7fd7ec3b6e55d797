package io.weir.server.http;

import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Responses serialized with each value written once read back, by Avatica's own client translation,
 * as the same responses serialized by Avatica: every type of value, nulls, arrays, metadata and
 * execute results; and in about half the bytes.
 */
class CompactFramesTest {
    private final ProtobufTranslation translation = new ProtobufTranslationImpl();

    private static Meta.Frame frame() {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            rows.add(new Object[] {(long) i, "name-" + i + " \u65e5\u672c", i % 3 == 0 ? null : 1.5 * i, i % 2 == 0,
                    new BigDecimal("12.34"), 1_700_000_000_000L + i, new byte[] {1, 2, (byte) i}, List.of(1L, 2L, (long) i)});
        }
        rows.add(Arrays.asList(7L, "a list row", null, true, BigDecimal.ONE, 0L, new byte[0], List.of()));
        return new Meta.Frame(100, false, rows);
    }

    @Test
    void aFetchReadsBackAsAvaticasOwnInHalfTheBytes() throws Exception {
        Service.FetchResponse fetch = new Service.FetchResponse(frame(), false, true, new Service.RpcMetadataResponse("weir:1"));

        byte[] compact = CompactFrames.serialize(translation, fetch);
        byte[] avatica = translation.serializeResponse(fetch);

        Service.FetchResponse read = (Service.FetchResponse) translation.parseResponse(compact);
        Service.FetchResponse expected = (Service.FetchResponse) translation.parseResponse(avatica);
        assertThat(read.missingResults).isTrue();
        assertThat(read.rpcMetadata.serverAddress).isEqualTo("weir:1");
        assertThat(rows(read.frame)).isEqualTo(rows(expected.frame));
        assertThat(read.frame.offset).isEqualTo(100);
        assertThat(read.frame.done).isFalse();
        assertThat(compact.length).as("compact %d bytes, Avatica %d", compact.length, avatica.length).isLessThan(avatica.length * 2 / 3);
    }

    @Test
    void fetchesOfCommonTypesAreWrittenDirectlyToTheSameBytes() throws Exception {
        List<Object> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new Object[] {(long) i * 1_000_003 - 150_000_000, i - 150, (short) (i - 7), (byte) i, "name-" + i + " \u65e5\u672c",
                    i % 3 == 0 ? null : 1.5 * (i - 100), i % 2 == 0, new BigDecimal(i + ".0" + i), Long.MIN_VALUE, Long.MAX_VALUE, ""});
        }
        rows.add(null);
        rows.add(Arrays.asList(0L, 0, (short) 0, (byte) 0, "bad \ud800 surrogate", "pair \ud83d\ude00", -0.0d, Double.NaN, BigDecimal.ZERO, "x".repeat(300)));
        rows.add(List.of());
        for (Service.FetchResponse fetch : List.of(
                new Service.FetchResponse(new Meta.Frame(100, false, rows), false, true, new Service.RpcMetadataResponse("weir:1")),
                new Service.FetchResponse(new Meta.Frame(0, true, rows), true, false, null),
                new Service.FetchResponse(new Meta.Frame(0, false, List.of()), false, false, null),
                new Service.FetchResponse(null, true, true, null),
                new Service.FetchResponse(null, false, false, null))) {
            byte[] direct = FetchResponseWriter.write(fetch);
            assertThat(direct).isNotNull();
            assertThat(direct).isEqualTo(CompactFrames.viaMessages(fetch));
            assertThat(CompactFrames.serialize(translation, fetch)).isEqualTo(direct);
        }
    }

    @Test
    void fetchesOfOtherTypesAreLeftToTheMessages() {
        for (Object value : List.of(new byte[] {1}, List.of(1L), 1.5f, 'c')) {
            List<Object> rows = List.of(new Object[] {1L, value});
            assertThat(FetchResponseWriter.write(new Service.FetchResponse(new Meta.Frame(0, false, rows), false, false, null))).isNull();
        }
    }

    @Test
    void executeAndMetadataResultsReadBackAsAvaticasOwn() throws Exception {
        Meta.Signature signature = Meta.Signature.create(
                List.of(ColumnMetaData.dummy(ColumnMetaData.scalar(java.sql.Types.BIGINT, "BIGINT", ColumnMetaData.Rep.LONG), true)),
                "SELECT 1", List.of(), Meta.CursorFactory.ARRAY, Meta.StatementType.SELECT);
        Service.ResultSetResponse first = new Service.ResultSetResponse("c1", 3, true, signature, frame(), -1,
                new Service.RpcMetadataResponse("weir:1"));
        Service.ResultSetResponse update = new Service.ResultSetResponse("c1", 4, false, null, null, 5, null);
        Service.ExecuteResponse execute = new Service.ExecuteResponse(List.of(first, update), false, new Service.RpcMetadataResponse("weir:1"));

        for (Service.Response response : List.<Service.Response>of(execute, first)) {
            Service.Response read = translation.parseResponse(CompactFrames.serialize(translation, response));
            Service.Response expected = translation.parseResponse(translation.serializeResponse(response));
            List<Service.ResultSetResponse> readResults = results(read);
            List<Service.ResultSetResponse> expectedResults = results(expected);
            assertThat(readResults).hasSameSizeAs(expectedResults);
            for (int i = 0; i < readResults.size(); i++) {
                Service.ResultSetResponse got = readResults.get(i);
                Service.ResultSetResponse want = expectedResults.get(i);
                assertThat(got.connectionId).isEqualTo(want.connectionId);
                assertThat(got.statementId).isEqualTo(want.statementId);
                assertThat(got.ownStatement).isEqualTo(want.ownStatement);
                assertThat(got.updateCount).isEqualTo(want.updateCount);
                assertThat(got.signature).isEqualTo(want.signature);
                assertThat(got.firstFrame == null ? null : rows(got.firstFrame))
                        .isEqualTo(want.firstFrame == null ? null : rows(want.firstFrame));
            }
        }
    }

    @Test
    void responsesWithoutFramesAreAvaticasOwn() throws Exception {
        Service.Response response = new Service.OpenConnectionResponse(new Service.RpcMetadataResponse("weir:1"));
        assertThat(CompactFrames.serialize(translation, response)).isEqualTo(translation.serializeResponse(response));
    }

    private static List<Service.ResultSetResponse> results(Service.Response response) {
        return response instanceof Service.ExecuteResponse execute ? execute.results : List.of((Service.ResultSetResponse) response);
    }

    /** Rows as comparable strings (byte arrays and nested lists by content). */
    private static List<String> rows(Meta.Frame frame) {
        List<String> rows = new ArrayList<>();
        for (Object row : frame.rows) {
            Object[] values = row instanceof Object[] array ? array : ((List<?>) row).toArray();
            rows.add(Arrays.deepToString(values));
        }
        return rows;
    }
}
