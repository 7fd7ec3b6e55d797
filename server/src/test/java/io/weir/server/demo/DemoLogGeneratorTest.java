package io.weir.server.demo;

import io.weir.connector.datagen.profile.WeblogsGenerator;
import io.weir.connector.datagen.profile.WeblogsProfile;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class DemoLogGeneratorTest {
    @Test
    void writesGeneratedEventsAsJsonObjectsWithUtcTimestamps() {
        DemoLogGenerator.JsonRow row = new DemoLogGenerator.JsonRow(DemoLogGenerator.SCHEMA);
        WeblogsGenerator generator = new WeblogsGenerator(42, DemoLogGenerator.SCHEMA,
                WeblogsProfile.bind("test", DemoLogGenerator.SCHEMA), new double[DemoLogGenerator.SCHEMA.size()], 0);
        long time = Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli();

        generator.write(row, time);

        assertThat(row.json())
                .startsWith("{\"ts\":\"2026-01-02 03:04:05.678\",\"ip\":\"")
                .containsPattern("\"status\":\\d{3},\"bytes\":\\d+,\"latency\":\\d+}$");
    }

    @Test
    void escapesStrings() {
        DemoLogGenerator.JsonRow row = new DemoLogGenerator.JsonRow(DemoLogGenerator.SCHEMA);
        row.setObject(4, "/search?q=\"a\\b\"\n");

        assertThat(row.json()).contains("\"url\":\"/search?q=\\\"a\\\\b\\\"\\n\"").contains("\"ts\":null");
    }
}
