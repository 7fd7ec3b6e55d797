package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.proto.Responses;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FetchResponseDecoderTest {
    private static final String REAL = WireNameProtobufTranslation.WIRE_PACKAGE;

    private final ProtobufTranslation avatica = new ProtobufTranslationImpl();
    private final FetchResponseDecoder decoder = new FetchResponseDecoder(REAL, REAL);

    @Test
    void readsWhatAvaticaWritesAsAvaticaReadsIt() throws IOException {
        List<Object> rows = List.of(
                Arrays.asList(42L, -7, (short) 3, (byte) -2, 1.5d, "héllo ☃", true, null, new BigDecimal("-12.3400"), 'x'),
                Arrays.asList(Long.MIN_VALUE, Integer.MAX_VALUE, Short.MIN_VALUE, Byte.MAX_VALUE, Double.NaN, "", false, null,
                        BigDecimal.ZERO, '\u00e9'),
                List.of());
        Service.FetchResponse response = new Service.FetchResponse(new Meta.Frame(1_000L, true, rows), false, true,
                new Service.RpcMetadataResponse("localhost:8765"));

        assertSameAsAvatica(avatica.serializeResponse(response));
    }

    @Test
    void readsEachRepresentationAsAvaticaDoes() throws IOException {
        Common.Row.Builder row = Common.Row.newBuilder();
        for (Common.Rep rep : Common.Rep.values()) {
            if (rep == Common.Rep.UNRECOGNIZED || rep == Common.Rep.BYTE_STRING || rep == Common.Rep.BIG_INTEGER
                    || rep == Common.Rep.OBJECT || rep == Common.Rep.ARRAY || rep == Common.Rep.STRUCT
                    || rep == Common.Rep.MULTISET) {
                continue;
            }
            Common.TypedValue.Builder value = Common.TypedValue.newBuilder().setType(rep).setNumberValue(1_700_000_012_345L)
                    .setBoolValue(true).setDoubleValue(2.25).setStringValue("7.5");
            if (rep == Common.Rep.BIG_DECIMAL) {
                value.clearNumberValue();
            }
            row.addValue(Common.ColumnValue.newBuilder().setScalarValue(value));
        }
        row.addValue(Common.ColumnValue.newBuilder().setScalarValue(
                Common.TypedValue.newBuilder().setType(Common.Rep.OBJECT).setNull(true)));
        Common.Frame frame = Common.Frame.newBuilder().setOffset(3).addRows(row).build();

        byte[] bytes = wire(Responses.FetchResponse.newBuilder().setFrame(frame).build());

        Service.FetchResponse decoded = assertSameAsAvatica(bytes);
        assertThat(((List<?>) decoded.frame.rows.iterator().next())).hasSize(row.getValueCount());
    }

    @Test
    void leavesArraysBytesAndOldStyleColumnsToAvatica() throws IOException {
        List<Object> arrays = List.of(Arrays.asList(1L, List.of(1, 2, 3)));
        List<Object> bytes = List.of(Arrays.<Object>asList(1L, new byte[] {1, 2}));
        for (List<Object> rows : List.of(arrays, bytes)) {
            byte[] wire = avatica.serializeResponse(new Service.FetchResponse(new Meta.Frame(0, false, rows), false, false, null));
            assertThat(decoder.decode(wire)).isNull();
        }
        Common.Row oldStyle = Common.Row.newBuilder().addValue(Common.ColumnValue.newBuilder()
                .addValue(Common.TypedValue.newBuilder().setType(Common.Rep.LONG).setNumberValue(5))).build();
        byte[] wire = wire(Responses.FetchResponse.newBuilder().setFrame(Common.Frame.newBuilder().addRows(oldStyle)).build());
        assertThat(decoder.decode(wire)).isNull();
        assertThat(avatica.parseResponse(wire)).isNotNull();
    }

    @Test
    void readsAResponseWithoutAFrameAsAnEmptyFrame() throws IOException {
        assertSameAsAvatica(wire(Responses.FetchResponse.newBuilder().setMissingStatement(true).build()));
    }

    @Test
    void leavesOtherResponsesAndDamagedBytesToAvatica() throws IOException {
        byte[] close = avatica.serializeResponse(new Service.CloseStatementResponse(null));
        assertThat(decoder.decode(close)).isNull();
        byte[] fetch = avatica.serializeResponse(new Service.FetchResponse(
                new Meta.Frame(0, false, List.of(Arrays.asList(1L, "a"))), false, false, null));
        assertThat(decoder.decode(Arrays.copyOf(fetch, fetch.length - 3))).isNull();
        assertThat(new FetchResponseDecoder("other.package.", "other.package.").decode(fetch)).isNull();
    }

    @Test
    void theDriversTranslationUsesTheDecoderAndFallsBack() throws IOException {
        ProtobufTranslation translation = new FetchDecodingProtobufTranslation(new WireNameProtobufTranslation(avatica));
        Service.FetchResponse arrays = new Service.FetchResponse(
                new Meta.Frame(0, false, List.of(Arrays.asList(1L, List.of(1, 2)))), false, false, null);
        Service.FetchResponse scalars = new Service.FetchResponse(
                new Meta.Frame(0, true, List.of(Arrays.asList(1L, "a"))), false, false, null);

        assertThat(translation.parseResponse(avatica.serializeResponse(arrays))).isEqualTo(arrays);
        assertThat(translation.parseResponse(avatica.serializeResponse(scalars))).isEqualTo(scalars);
    }

    private Service.FetchResponse assertSameAsAvatica(byte[] bytes) throws IOException {
        Service.FetchResponse expected = (Service.FetchResponse) avatica.parseResponse(bytes);
        Service.FetchResponse decoded = decoder.decode(bytes);
        assertThat(decoded).isNotNull().isEqualTo(expected);
        assertThat(decoded.frame.offset).isEqualTo(expected.frame.offset);
        assertThat(decoded.frame.done).isEqualTo(expected.frame.done);
        assertThat(classesOf(decoded.frame.rows)).isEqualTo(classesOf(expected.frame.rows));
        return decoded;
    }

    private static List<Object> classesOf(Iterable<Object> rows) {
        List<Object> classes = new ArrayList<>();
        for (Object row : rows) {
            classes.add(row.getClass());
            for (Object value : (List<?>) row) {
                classes.add(value == null ? null : value.getClass());
            }
        }
        return classes;
    }

    private static byte[] wire(Responses.FetchResponse response) {
        return Common.WireMessage.newBuilder().setName(REAL + "Responses$FetchResponse")
                .setWrappedMessage(response.toByteString()).build().toByteArray();
    }

}
