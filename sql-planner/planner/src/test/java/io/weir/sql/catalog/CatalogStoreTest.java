package io.weir.sql.catalog;

import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogStoreTest {
    @TempDir
    Path dir;

    private static CatalogObject stream(String name) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "file");
        options.put("path", "/data/" + name);
        return new CatalogObject(name, ObjectType.STREAM, List.of(
                ColumnDefinition.physical("id", DataType.of(TypeKind.BIGINT).withNullable(false), "the key"),
                ColumnDefinition.physical("tags", DataType.map(DataType.varchar(), DataType.array(DataType.of(TypeKind.INTEGER))), null),
                ColumnDefinition.physical("ts", DataType.timestamp(3), null),
                ColumnDefinition.computed("pt", DataType.timestamp(3).withNullable(false), "PROCTIME()", null)),
                new WatermarkDefinition("ts", "ts - INTERVAL '5' SECOND", Duration.ofSeconds(5)),
                List.of(), options, "CREATE STREAM " + name + " ...", Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void roundTripsEveryField() {
        CatalogStore store = new CatalogStore(dir);
        CatalogObject object = stream("clicks");
        store.save(List.of(object));
        assertThat(new CatalogStore(dir).load()).containsExactly(object);
    }

    @Test
    void anAbsentFileIsAnEmptyCatalog() {
        assertThat(new CatalogStore(dir.resolve("new")).load()).isEmpty();
    }

    @Test
    void aWriteThatCrashedBeforeItsRenameLeavesTheOldCatalog() throws Exception {
        CatalogStore store = new CatalogStore(dir);
        store.save(List.of(stream("a")));
        // What a crash mid-write leaves behind: a partial temporary file next to the intact catalog.
        Path partial = dir.resolve("catalog.json.123-456.tmp");
        Files.writeString(partial, "{\"format-version\": 1, \"objects\": [{\"name\": \"b\", ");
        assertThat(new CatalogStore(dir).load()).extracting(CatalogObject::name).containsExactly("a");
        assertThat(partial).doesNotExist();
    }

    @Test
    void writesLeaveNoTemporaryFiles() throws Exception {
        CatalogStore store = new CatalogStore(dir);
        for (int i = 0; i < 5; i++) {
            store.save(List.of(stream("s" + i)));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("catalog.json");
        }
    }

    @Test
    void aCorruptCatalogIsReportedNotIgnored() throws Exception {
        Files.writeString(dir.resolve("catalog.json"), "{ not json");
        assertThatThrownBy(() -> new CatalogStore(dir).load())
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("Cannot read the catalog");
    }

    @Test
    void aNewerFormatIsRefused() throws Exception {
        Files.writeString(dir.resolve("catalog.json"), "{\"format-version\": 99, \"objects\": []}");
        assertThatThrownBy(() -> new CatalogStore(dir).load()).hasMessageContaining("format version 99");
    }

    @Test
    void catalogPublishesOnlyDurableChanges() {
        Catalog catalog = Catalog.open(new CatalogStore(dir));
        catalog.create(stream("a"), false, false);
        catalog.create(stream("B"), false, false);
        assertThat(catalog.get("b")).isPresent();
        assertThatThrownBy(() -> catalog.create(stream("A"), false, false)).hasMessageContaining("already exists");
        assertThat(catalog.drop("a", ObjectType.STREAM, false)).isTrue();
        assertThat(Catalog.open(new CatalogStore(dir)).list()).extracting(CatalogObject::name).containsExactly("B");
    }
}
