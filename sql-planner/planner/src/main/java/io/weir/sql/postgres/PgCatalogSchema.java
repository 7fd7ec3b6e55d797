package io.weir.sql.postgres;

import io.weir.spi.type.DataType;
import io.weir.sql.auth.User;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.schema.WeirSchema;
import io.weir.sql.system.SystemSchema;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * PostgreSQL's {@code pg_catalog} over Weir's catalog, as much of it as PostgreSQL clients read to list and
 * describe relations (psql's {@code \d}, {@code \dt}, {@code \dv}, {@code \dm}, {@code \dn}, {@code \l};
 * pgjdbc's DatabaseMetaData; BI tools' schema browsers). Weir's schema is {@code weir}; streams and
 * reference tables are tables ({@code relkind 'r'}), views views ('v'), materialized views 'm'. Computed
 * from the catalog when read.
 */
public final class PgCatalogSchema extends AbstractSchema {
    public static final String NAME = "pg_catalog";
    static final int PG_CATALOG_OID = 11;
    static final int WEIR_OID = 2200;
    static final int SYS_OID = 16_100;
    static final int INFORMATION_SCHEMA_OID = 13_000;
    private static final int DATABASE_OID = 16_384;
    /** The OIDs of pg_catalog's own tables that clients name with {@code 'pg_class'::regclass}. */
    private static final Map<String, Integer> SYSTEM_RELATIONS = Map.of("pg_class", 1259, "pg_type", 1247, "pg_attribute", 1249,
            "pg_proc", 1255, "pg_namespace", 2615, "pg_description", 2609, "pg_constraint", 2606, "pg_database", 1262);

    private final Catalog catalog;

    public PgCatalogSchema(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    /** Only to list the relations' names: its tables are never read. */
    private PgCatalogSchema() {
        this.catalog = null;
    }

    /** The names of pg_catalog's relations, which PostgreSQL finds without {@code pg_catalog.} in front. */
    public static java.util.Set<String> relationNames() {
        return RelationNames.NAMES;
    }

    private static final class RelationNames {
        static final java.util.Set<String> NAMES = java.util.Set.copyOf(new PgCatalogSchema().getTableMap().keySet());
    }

    /** The OID of the relation {@code name}: fixed for pg_catalog's, derived from the name for Weir's. */
    public static int relationOid(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        int dot = key.lastIndexOf('.');
        String bare = dot >= 0 ? key.substring(dot + 1) : key;
        Integer system = SYSTEM_RELATIONS.get(bare);
        if (system != null) {
            return system;
        }
        return 20_000 + Math.floorMod(bare.hashCode(), 1_000_000_000);
    }

    static char relkind(CatalogObject object) {
        return switch (object.type()) {
            case VIEW -> 'v';
            case MATERIALIZED_VIEW -> 'm';
            default -> 'r';
        };
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> tables = new LinkedHashMap<>();
        tables.put("pg_namespace", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("nspname", SqlTypeName.VARCHAR).add("nspowner", SqlTypeName.INTEGER)
                .add("nspacl", SqlTypeName.VARCHAR).nullable(true).build(), this::namespaces));
        tables.put("pg_class", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("relname", SqlTypeName.VARCHAR).add("relnamespace", SqlTypeName.INTEGER)
                .add("reltype", SqlTypeName.INTEGER).add("reloftype", SqlTypeName.INTEGER).add("relowner", SqlTypeName.INTEGER)
                .add("relam", SqlTypeName.INTEGER).add("relfilenode", SqlTypeName.INTEGER).add("reltablespace", SqlTypeName.INTEGER)
                .add("relpages", SqlTypeName.INTEGER).add("reltuples", SqlTypeName.REAL).add("relallvisible", SqlTypeName.INTEGER)
                .add("reltoastrelid", SqlTypeName.INTEGER).add("relhasindex", SqlTypeName.BOOLEAN).add("relisshared", SqlTypeName.BOOLEAN)
                .add("relpersistence", SqlTypeName.CHAR, 1).add("relkind", SqlTypeName.CHAR, 1).add("relnatts", SqlTypeName.SMALLINT)
                .add("relchecks", SqlTypeName.SMALLINT).add("relhasrules", SqlTypeName.BOOLEAN).add("relhastriggers", SqlTypeName.BOOLEAN)
                .add("relhassubclass", SqlTypeName.BOOLEAN).add("relrowsecurity", SqlTypeName.BOOLEAN)
                .add("relforcerowsecurity", SqlTypeName.BOOLEAN).add("relispopulated", SqlTypeName.BOOLEAN)
                .add("relreplident", SqlTypeName.CHAR, 1).add("relispartition", SqlTypeName.BOOLEAN).add("relrewrite", SqlTypeName.INTEGER)
                .add("relfrozenxid", SqlTypeName.INTEGER).add("relminmxid", SqlTypeName.INTEGER)
                .add("relacl", SqlTypeName.VARCHAR).nullable(true).add("reloptions", SqlTypeName.VARCHAR).nullable(true)
                .add("relpartbound", SqlTypeName.VARCHAR).nullable(true).build(), this::classes));
        // attcompression, attidentity and attgenerated are '' when unset: VARCHAR, so that nullif(attidentity, '') is
        // NULL as in PostgreSQL (a CHAR(1) '' is padded to ' ' and pgjdbc would call every column an identity)
        tables.put("pg_attribute", new RowsTable(f -> f.builder()
                .add("attrelid", SqlTypeName.INTEGER).add("attname", SqlTypeName.VARCHAR).add("atttypid", SqlTypeName.INTEGER)
                .add("attstattarget", SqlTypeName.INTEGER).add("attlen", SqlTypeName.SMALLINT).add("attnum", SqlTypeName.SMALLINT)
                .add("attndims", SqlTypeName.INTEGER).add("attcacheoff", SqlTypeName.INTEGER).add("atttypmod", SqlTypeName.INTEGER)
                .add("attbyval", SqlTypeName.BOOLEAN).add("attalign", SqlTypeName.CHAR, 1).add("attstorage", SqlTypeName.CHAR, 1)
                .add("attcompression", SqlTypeName.VARCHAR).add("attnotnull", SqlTypeName.BOOLEAN).add("atthasdef", SqlTypeName.BOOLEAN)
                .add("atthasmissing", SqlTypeName.BOOLEAN).add("attidentity", SqlTypeName.VARCHAR).add("attgenerated", SqlTypeName.VARCHAR)
                .add("attisdropped", SqlTypeName.BOOLEAN).add("attislocal", SqlTypeName.BOOLEAN).add("attinhcount", SqlTypeName.INTEGER)
                .add("attcollation", SqlTypeName.INTEGER).add("attacl", SqlTypeName.VARCHAR).nullable(true)
                .add("attoptions", SqlTypeName.VARCHAR).nullable(true).add("attfdwoptions", SqlTypeName.VARCHAR).nullable(true)
                .build(), this::attributes));
        tables.put("pg_type", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("typname", SqlTypeName.VARCHAR).add("typnamespace", SqlTypeName.INTEGER)
                .add("typowner", SqlTypeName.INTEGER).add("typlen", SqlTypeName.SMALLINT).add("typbyval", SqlTypeName.BOOLEAN)
                .add("typtype", SqlTypeName.CHAR, 1).add("typcategory", SqlTypeName.CHAR, 1).add("typispreferred", SqlTypeName.BOOLEAN)
                .add("typisdefined", SqlTypeName.BOOLEAN).add("typdelim", SqlTypeName.CHAR, 1).add("typrelid", SqlTypeName.INTEGER)
                .add("typelem", SqlTypeName.INTEGER).add("typarray", SqlTypeName.INTEGER).add("typinput", SqlTypeName.VARCHAR)
                .add("typoutput", SqlTypeName.VARCHAR).add("typreceive", SqlTypeName.VARCHAR).add("typsend", SqlTypeName.VARCHAR)
                .add("typalign", SqlTypeName.CHAR, 1).add("typstorage", SqlTypeName.CHAR, 1).add("typnotnull", SqlTypeName.BOOLEAN)
                .add("typbasetype", SqlTypeName.INTEGER).add("typtypmod", SqlTypeName.INTEGER).add("typndims", SqlTypeName.INTEGER)
                .add("typcollation", SqlTypeName.INTEGER).add("typdefault", SqlTypeName.VARCHAR).nullable(true)
                .add("typacl", SqlTypeName.VARCHAR).nullable(true).build(), PgCatalogSchema::types));
        tables.put("pg_database", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("datname", SqlTypeName.VARCHAR).add("datdba", SqlTypeName.INTEGER)
                .add("encoding", SqlTypeName.INTEGER).add("datcollate", SqlTypeName.VARCHAR).add("datctype", SqlTypeName.VARCHAR)
                .add("datistemplate", SqlTypeName.BOOLEAN).add("datallowconn", SqlTypeName.BOOLEAN).add("datconnlimit", SqlTypeName.INTEGER)
                .add("dattablespace", SqlTypeName.INTEGER).add("datlocprovider", SqlTypeName.CHAR, 1)
                .add("daticulocale", SqlTypeName.VARCHAR).nullable(true).add("datcollversion", SqlTypeName.VARCHAR).nullable(true)
                .add("datacl", SqlTypeName.VARCHAR).nullable(true).build(),
                () -> List.<Object[]>of(new Object[] {DATABASE_OID, PgFunctions.DATABASE, PgFunctions.OWNER_OID, 6, "C", "C", false, true,
                        -1, 1663, "c", null, null, null})));
        tables.put("pg_roles", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("rolname", SqlTypeName.VARCHAR).add("rolsuper", SqlTypeName.BOOLEAN)
                .add("rolinherit", SqlTypeName.BOOLEAN).add("rolcreaterole", SqlTypeName.BOOLEAN).add("rolcreatedb", SqlTypeName.BOOLEAN)
                .add("rolcanlogin", SqlTypeName.BOOLEAN).add("rolreplication", SqlTypeName.BOOLEAN).add("rolconnlimit", SqlTypeName.INTEGER)
                .add("rolpassword", SqlTypeName.VARCHAR).add("rolvaliduntil", SqlTypeName.TIMESTAMP).nullable(true)
                .add("rolbypassrls", SqlTypeName.BOOLEAN).add("rolconfig", SqlTypeName.VARCHAR).nullable(true).build(), this::roles));
        tables.put("pg_tables", new RowsTable(f -> f.builder()
                .add("schemaname", SqlTypeName.VARCHAR).add("tablename", SqlTypeName.VARCHAR).add("tableowner", SqlTypeName.VARCHAR)
                .add("tablespace", SqlTypeName.VARCHAR).nullable(true).add("hasindexes", SqlTypeName.BOOLEAN)
                .add("hasrules", SqlTypeName.BOOLEAN).add("hastriggers", SqlTypeName.BOOLEAN).add("rowsecurity", SqlTypeName.BOOLEAN)
                .build(), () -> objects(ObjectType.STREAM, ObjectType.TABLE).stream().map(o -> new Object[] {WeirSchema.NAME, o.name(),
                        PgFunctions.OWNER, null, false, false, false, false}).toList()));
        tables.put("pg_views", new RowsTable(f -> f.builder()
                .add("schemaname", SqlTypeName.VARCHAR).add("viewname", SqlTypeName.VARCHAR).add("viewowner", SqlTypeName.VARCHAR)
                .add("definition", SqlTypeName.VARCHAR).build(), () -> objects(ObjectType.VIEW).stream()
                .map(o -> new Object[] {WeirSchema.NAME, o.name(), PgFunctions.OWNER, o.ddl()}).toList()));
        tables.put("pg_matviews", new RowsTable(f -> f.builder()
                .add("schemaname", SqlTypeName.VARCHAR).add("matviewname", SqlTypeName.VARCHAR).add("matviewowner", SqlTypeName.VARCHAR)
                .add("tablespace", SqlTypeName.VARCHAR).nullable(true).add("hasindexes", SqlTypeName.BOOLEAN)
                .add("ispopulated", SqlTypeName.BOOLEAN).add("definition", SqlTypeName.VARCHAR).build(),
                () -> objects(ObjectType.MATERIALIZED_VIEW).stream().map(o -> new Object[] {WeirSchema.NAME, o.name(),
                        PgFunctions.OWNER, null, false, true, o.ddl()}).toList()));
        tables.put("pg_description", new RowsTable(f -> f.builder()
                .add("objoid", SqlTypeName.INTEGER).add("classoid", SqlTypeName.INTEGER).add("objsubid", SqlTypeName.INTEGER)
                .add("description", SqlTypeName.VARCHAR).build(), this::descriptions));
        // relations Weir does not have: empty, so that clients' joins over them work
        tables.put("pg_am", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("amname", SqlTypeName.VARCHAR)
                .add("amhandler", SqlTypeName.VARCHAR).add("amtype", SqlTypeName.CHAR, 1).build()));
        tables.put("pg_attrdef", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("adrelid", SqlTypeName.INTEGER)
                .add("adnum", SqlTypeName.SMALLINT).add("adbin", SqlTypeName.VARCHAR).build()));
        tables.put("pg_index", empty(f -> f.builder().add("indexrelid", SqlTypeName.INTEGER).add("indrelid", SqlTypeName.INTEGER)
                .add("indnatts", SqlTypeName.SMALLINT).add("indnkeyatts", SqlTypeName.SMALLINT).add("indisunique", SqlTypeName.BOOLEAN)
                .add("indisprimary", SqlTypeName.BOOLEAN).add("indisclustered", SqlTypeName.BOOLEAN).add("indisvalid", SqlTypeName.BOOLEAN)
                .add("indisexclusion", SqlTypeName.BOOLEAN).add("indimmediate", SqlTypeName.BOOLEAN)
                .add("indisready", SqlTypeName.BOOLEAN).add("indislive", SqlTypeName.BOOLEAN).add("indisreplident", SqlTypeName.BOOLEAN)
                .add("indkey", SqlTypeName.VARCHAR).add("indcollation", SqlTypeName.VARCHAR).add("indclass", SqlTypeName.VARCHAR)
                .add("indoption", SqlTypeName.VARCHAR).add("indexprs", SqlTypeName.VARCHAR).add("indpred", SqlTypeName.VARCHAR).build()));
        tables.put("pg_enum", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("enumtypid", SqlTypeName.INTEGER)
                .add("enumsortorder", SqlTypeName.REAL).add("enumlabel", SqlTypeName.VARCHAR).build()));
        tables.put("pg_constraint", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("conname", SqlTypeName.VARCHAR)
                .add("connamespace", SqlTypeName.INTEGER).add("contype", SqlTypeName.CHAR, 1).add("condeferrable", SqlTypeName.BOOLEAN)
                .add("condeferred", SqlTypeName.BOOLEAN).add("convalidated", SqlTypeName.BOOLEAN).add("conrelid", SqlTypeName.INTEGER)
                .add("contypid", SqlTypeName.INTEGER).add("conindid", SqlTypeName.INTEGER).add("conparentid", SqlTypeName.INTEGER)
                .add("confrelid", SqlTypeName.INTEGER).add("conkey", SqlTypeName.VARCHAR).add("confkey", SqlTypeName.VARCHAR).build()));
        tables.put("pg_collation", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("collname", SqlTypeName.VARCHAR)
                .add("collnamespace", SqlTypeName.INTEGER).add("collprovider", SqlTypeName.CHAR, 1).build()));
        tables.put("pg_inherits", empty(f -> f.builder().add("inhrelid", SqlTypeName.INTEGER).add("inhparent", SqlTypeName.INTEGER)
                .add("inhseqno", SqlTypeName.INTEGER).add("inhdetachpending", SqlTypeName.BOOLEAN).build()));
        tables.put("pg_trigger", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("tgrelid", SqlTypeName.INTEGER)
                .add("tgname", SqlTypeName.VARCHAR).add("tgisinternal", SqlTypeName.BOOLEAN).build()));
        tables.put("pg_proc", empty(f -> f.builder().add("oid", SqlTypeName.INTEGER).add("proname", SqlTypeName.VARCHAR)
                .add("pronamespace", SqlTypeName.INTEGER).add("proowner", SqlTypeName.INTEGER).add("prolang", SqlTypeName.INTEGER)
                .add("prokind", SqlTypeName.CHAR, 1).add("prosecdef", SqlTypeName.BOOLEAN).add("proretset", SqlTypeName.BOOLEAN)
                .add("provolatile", SqlTypeName.CHAR, 1).add("proparallel", SqlTypeName.CHAR, 1).add("pronargs", SqlTypeName.SMALLINT)
                .add("prorettype", SqlTypeName.INTEGER).add("proargtypes", SqlTypeName.VARCHAR).add("prosrc", SqlTypeName.VARCHAR)
                .add("proacl", SqlTypeName.VARCHAR).build()));
        tables.put("pg_settings", new RowsTable(f -> f.builder()
                .add("name", SqlTypeName.VARCHAR).add("setting", SqlTypeName.VARCHAR).add("unit", SqlTypeName.VARCHAR).nullable(true)
                .add("category", SqlTypeName.VARCHAR).add("short_desc", SqlTypeName.VARCHAR).add("context", SqlTypeName.VARCHAR)
                .add("vartype", SqlTypeName.VARCHAR).add("source", SqlTypeName.VARCHAR).add("boot_val", SqlTypeName.VARCHAR)
                .add("reset_val", SqlTypeName.VARCHAR).build(), PgCatalogSchema::settings));
        // what psql's \\l+ and \\df+ join: the tablespace pg_database names, and the languages of functions
        tables.put("pg_tablespace", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("spcname", SqlTypeName.VARCHAR).add("spcowner", SqlTypeName.INTEGER)
                .add("spcacl", SqlTypeName.VARCHAR).nullable(true).add("spcoptions", SqlTypeName.VARCHAR).nullable(true).build(),
                () -> List.<Object[]>of(new Object[] {1663, "pg_default", PgFunctions.OWNER_OID, null, null},
                        new Object[] {1664, "pg_global", PgFunctions.OWNER_OID, null, null})));
        tables.put("pg_language", new RowsTable(f -> f.builder()
                .add("oid", SqlTypeName.INTEGER).add("lanname", SqlTypeName.VARCHAR).add("lanowner", SqlTypeName.INTEGER)
                .add("lanispl", SqlTypeName.BOOLEAN).add("lanpltrusted", SqlTypeName.BOOLEAN).build(),
                () -> List.<Object[]>of(new Object[] {12, "internal", PgFunctions.OWNER_OID, false, false},
                        new Object[] {13, "c", PgFunctions.OWNER_OID, false, false},
                        new Object[] {14, "sql", PgFunctions.OWNER_OID, false, true})));
        tables.put("pg_auth_members", empty(f -> f.builder().add("roleid", SqlTypeName.INTEGER).add("member", SqlTypeName.INTEGER)
                .add("grantor", SqlTypeName.INTEGER).add("admin_option", SqlTypeName.BOOLEAN).build()));
        return tables;
    }

    /**
     * The server's fixed settings that clients read from {@code pg_settings} (pgjdbc asks for {@code max_index_keys}
     * before it lists foreign keys); the session's settings are answered by {@code SHOW}.
     */
    private static List<Object[]> settings() {
        List<Object[]> rows = new ArrayList<>();
        for (String[] setting : new String[][] {
                {"block_size", "8192", "Preset Options", "Shows the size of a disk block.", "integer"},
                {"integer_datetimes", "on", "Preset Options", "Shows whether datetimes are integer based.", "bool"},
                {"max_identifier_length", "63", "Preset Options", "Shows the maximum identifier length.", "integer"},
                {"max_index_keys", "32", "Preset Options", "Shows the maximum number of index keys.", "integer"},
                {"server_encoding", "UTF8", "Preset Options", "Shows the server (database) character set encoding.", "string"},
                {"server_version", "15.0", "Preset Options", "Shows the server version.", "string"},
                {"server_version_num", "150000", "Preset Options", "Shows the server version as an integer.", "integer"},
                {"standard_conforming_strings", "on", "Version and Platform Compatibility",
                        "Causes '...' strings to treat backslashes literally.", "bool"}}) {
            rows.add(new Object[] {setting[0], setting[1], null, setting[2], setting[3], "internal", setting[4], "default",
                    setting[1], setting[1]});
        }
        return rows;
    }

    private List<CatalogObject> objects(ObjectType... types) {
        List<ObjectType> wanted = List.of(types);
        return RowsTable.visible(catalog).stream().filter(object -> wanted.contains(object.type())).toList();
    }

    private List<Object[]> namespaces() {
        return List.of(new Object[] {PG_CATALOG_OID, NAME, PgFunctions.OWNER_OID, null},
                new Object[] {WEIR_OID, WeirSchema.NAME, PgFunctions.OWNER_OID, null},
                new Object[] {SYS_OID, SystemSchema.NAME, PgFunctions.OWNER_OID, null},
                new Object[] {INFORMATION_SCHEMA_OID, InformationSchema.NAME, PgFunctions.OWNER_OID, null});
    }

    private List<Object[]> classes() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : RowsTable.visible(catalog)) {
            rows.add(new Object[] {relationOid(object.name()), object.name(), WEIR_OID, 0, 0, PgFunctions.OWNER_OID, 0, 0, 0, 0, -1f, 0, 0,
                    false, false, "p", String.valueOf(relkind(object)), (short) object.columns().size(), (short) 0, false, false, false,
                    false, false, true, "d", false, 0, 0, 0, null, null, null});
        }
        return rows;
    }

    private List<Object[]> attributes() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : RowsTable.visible(catalog)) {
            short number = 0;
            for (ColumnDefinition column : object.columns()) {
                DataType type = column.type();
                rows.add(new Object[] {relationOid(object.name()), column.name(), PostgresTypes.oid(type), -1, PostgresTypes.length(type),
                        ++number, type.kind() == io.weir.spi.type.TypeKind.ARRAY ? 1 : 0, -1, PostgresTypes.modifier(type),
                        PostgresTypes.length(type) > 0 && PostgresTypes.length(type) <= 8, "i", "p", "", !type.nullable()
                        || object.isPrimaryKeyColumn(column.name()), false, false, "", "", false, true, 0, 0, null, null, null});
            }
        }
        return rows;
    }

    private static List<Object[]> types() {
        List<Object[]> rows = new ArrayList<>();
        for (PostgresTypes.PgType type : PostgresTypes.TYPES) {
            rows.add(typeRow(type.oid(), type.name(), type.length(), 'b', type.category(), 0, type.arrayOid()));
            if (type.arrayOid() != 0) {
                rows.add(typeRow(type.arrayOid(), "_" + type.name(), -1, 'b', 'A', type.oid(), 0));
            }
        }
        return rows;
    }

    /** A type's input/output function: PostgreSQL's arrays share {@code array_in} and the like (pgjdbc tells arrays so). */
    private static String io(String name, int element, String suffix) {
        return (element != 0 ? "array_" : name) + suffix;
    }

    private static Object[] typeRow(int oid, String name, int length, char kind, char category, int element, int array) {
        return new Object[] {oid, name, PG_CATALOG_OID, PgFunctions.OWNER_OID, (short) length, length > 0 && length <= 8,
                String.valueOf(kind), String.valueOf(category), false, true, ",", 0, element, array, io(name, element, "in"),
                io(name, element, "out"), io(name, element, "recv"), io(name, element, "send"), length == 8 ? "d" : "i", length > 0 ? "p" : "x", false, 0, -1, 0, 0, null, null};
    }

    private List<Object[]> roles() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {PgFunctions.OWNER_OID, PgFunctions.OWNER, true, true, true, true, false, false, -1, "********", null,
                false, null});
        int oid = 16_500;
        for (User user : catalog.users().users()) {
            rows.add(new Object[] {oid++, user.name(), user.admin(), true, user.admin(), user.admin(), true, false, -1, "********", null,
                    false, null});
        }
        return rows;
    }

    private List<Object[]> descriptions() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : RowsTable.visible(catalog)) {
            int number = 0;
            for (ColumnDefinition column : object.columns()) {
                number++;
                if (column.commentText().isPresent()) {
                    rows.add(new Object[] {relationOid(object.name()), SYSTEM_RELATIONS.get("pg_class"), number, column.commentText().get()});
                }
            }
        }
        return rows;
    }

    private static RowsTable empty(java.util.function.Function<RelDataTypeFactory, RelDataType> rowType) {
        return new RowsTable(rowType, List::of);
    }

    /** A table of pg_catalog: its rows computed when it is read. */
    static final class RowsTable extends AbstractTable implements ScannableTable {
        private final java.util.function.Function<RelDataTypeFactory, RelDataType> rowType;
        private final Supplier<List<Object[]>> rows;

        RowsTable(java.util.function.Function<RelDataTypeFactory, RelDataType> rowType, Supplier<List<Object[]>> rows) {
            this.rowType = rowType;
            this.rows = rows;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            return rowType.apply(typeFactory);
        }

        /**
         * While a table computes its rows, on the reading thread: the catalog objects its reader may see (a user
         * who is not an admin sees only what it may select, as in every other metadata call).
         */
        private static final ThreadLocal<java.util.function.Predicate<CatalogObject>> VISIBLE = new ThreadLocal<>();

        /** The objects of {@code catalog} the reader of the table being computed may see. */
        static List<CatalogObject> visible(io.weir.sql.catalog.Catalog catalog) {
            java.util.function.Predicate<CatalogObject> visible = VISIBLE.get();
            return visible == null ? catalog.list() : catalog.list().stream().filter(visible).toList();
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            VISIBLE.set(SystemSchema.Viewer.of(root).objects());
            try {
                return Linq4j.asEnumerable(rows.get());
            } finally {
                VISIBLE.remove();
            }
        }

        @Override
        public Schema.TableType getJdbcTableType() {
            return Schema.TableType.SYSTEM_TABLE;
        }
    }
}
