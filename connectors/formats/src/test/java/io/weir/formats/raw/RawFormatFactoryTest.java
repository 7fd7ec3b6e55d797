package io.weir.formats.raw;

import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.Formats;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RawFormatFactoryTest {
    private static final List<DataType.Field> LINE = List.of(new DataType.Field("line", DataType.varchar()));

    private static OptionValues noOptions() {
        return OptionValidator.validate("format 'raw'", List.of(), Map.of());
    }

    @Test
    void aLineOfTextFillsTheOneColumnAndIsWrittenBackAsIs() throws Exception {
        FormatFactory raw = Formats.find("raw");
        RecordDecoder decoder = raw.createDecoder(LINE, noOptions());
        BatchBuilder builder = new BatchBuilder(LINE, 4);
        assertThat(decoder.decode("GET /index.html 200, \"quoted\" {not json}", builder)).isTrue();
        builder.commitRow();
        byte[] bytes = "päth".getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.decode(bytes, 0, bytes.length, builder)).isTrue();
        builder.commitRow();
        Batch batch = builder.build();
        assertThat(batch.value(0, 0)).isEqualTo("GET /index.html 200, \"quoted\" {not json}");
        assertThat(batch.value(0, 1)).isEqualTo("päth");
        assertThat(new String(raw.createEncoder(LINE, noOptions()).encode(batch, 1), StandardCharsets.UTF_8)).isEqualTo("päth");
    }

    @Test
    void bytesColumnKeepsTheBytes() throws Exception {
        List<DataType.Field> schema = List.of(new DataType.Field("payload", DataType.of(TypeKind.VARBINARY)));
        BatchBuilder builder = new BatchBuilder(schema, 1);
        Formats.find("raw").createDecoder(schema, noOptions()).decode(new byte[] {1, 2, 3}, 1, 2, builder);
        builder.commitRow();
        assertThat((byte[]) builder.build().value(0, 0)).containsExactly(2, 3);
    }

    @Test
    void anythingButOneTextOrBytesColumnIsRejectedSayingWhatToWrite() {
        FormatFactory raw = Formats.find("raw");
        assertThatThrownBy(() -> raw.validate(List.of(new DataType.Field("a", DataType.varchar()),
                new DataType.Field("b", DataType.varchar())), noOptions()))
                .isInstanceOf(WeirException.class).hasMessageContaining("e.g. (line VARCHAR)").hasMessageContaining("2 column(s)");
        assertThatThrownBy(() -> raw.validate(List.of(new DataType.Field("n", DataType.of(TypeKind.BIGINT))), noOptions()))
                .isInstanceOf(WeirException.class).hasMessageContaining("BIGINT");
    }
}
