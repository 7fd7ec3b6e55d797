package io.weir.sql.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weir.spi.ErrorCode;
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

    @Test
    void aFormatOneCatalogIsUpgradedOnceItsObjectsGetIdentitiesThatStay() throws Exception {
        CatalogStore store = new CatalogStore(dir);
        store.save(List.of(stream("clicks")));
        // what an older Weir wrote: format 1, no identities, no dependencies
        ObjectMapper json = new ObjectMapper();
        ObjectNode old = (ObjectNode) json.readTree(dir.resolve("catalog.json").toFile());
        old.put("format-version", 1);
        ((ObjectNode) old.get("objects").get(0)).remove(List.of("id", "dependencies"));
        Files.write(dir.resolve("catalog.json"), json.writeValueAsBytes(old));

        CatalogObject upgraded = new CatalogStore(dir).load().get(0);
        assertThat(upgraded.id()).isNotBlank();
        assertThat(upgraded.dependencies()).isNull();
        assertThat(json.readTree(dir.resolve("catalog.json").toFile()).get("format-version").asInt()).isEqualTo(2);
        assertThat(new CatalogStore(dir).load().get(0).id()).isEqualTo(upgraded.id());
    }

    @Test
    void catalogRefusesToDropOrReplaceWhatAViewDependsOnAndToRegisterAViewOverAGoneObject() {
        Catalog catalog = Catalog.inMemory();
        CatalogObject clicks = stream("clicks");
        catalog.create(clicks, false, false);
        CatalogObject view = view("recent", List.of(ObjectReference.to(clicks)));
        catalog.create(view, false, false);
        CatalogObject viewOfView = view("recent_too", List.of(ObjectReference.to(view), ObjectReference.to(clicks)));
        catalog.create(viewOfView, false, false);

        assertThat(catalog.dependantsOf(clicks)).extracting(CatalogObject::name).containsExactly("recent_too", "recent");
        assertThatThrownBy(() -> catalog.drop("clicks", ObjectType.STREAM, false))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DEPENDENT_OBJECTS_EXIST))
                .hasMessageContaining("Cannot drop stream 'clicks': view 'recent_too', view 'recent' depend on it");
        assertThatThrownBy(() -> catalog.create(stream("clicks"), true, false))
                .hasMessageContaining("Cannot replace stream 'clicks'");
        assertThatThrownBy(() -> catalog.create(view("recent", List.of(ObjectReference.to(view))), true, false))
                .hasMessageContaining("Cannot replace view 'recent': view 'recent_too' depends on it");

        assertThat(catalog.drop("recent_too", ObjectType.VIEW, false)).isTrue();
        assertThat(catalog.drop("recent", ObjectType.VIEW, false)).isTrue();
        assertThat(catalog.drop("clicks", ObjectType.STREAM, false)).isTrue();
        catalog.create(stream("clicks"), false, false);
        // the view's stream is gone: another one of its name is not it
        assertThatThrownBy(() -> catalog.create(view, false, false))
                .isInstanceOfSatisfying(WeirException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DEPENDENCY_DROPPED))
                .hasMessageContaining("View 'recent' reads stream 'clicks', which was dropped; the stream 'clicks'"
                        + " registered since is another object");
    }

    private static CatalogObject view(String name, List<ObjectReference> dependencies) {
        return new CatalogObject(name, ObjectType.VIEW, List.of(ColumnDefinition.physical("id", DataType.of(TypeKind.BIGINT), null)),
                null, List.of(), Map.of(), "CREATE VIEW " + name + " AS SELECT id FROM clicks", Instant.now(),
                CatalogObject.newId(), dependencies);
    }
}
