package io.weir.connector.jdbc;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.SinkConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

/** The sink contract against a real PostgreSQL table (no primary key: plain inserts). */
class JdbcSinkConformanceTest extends SinkConformanceTest {
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("flag", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("tiny", DataType.of(TypeKind.TINYINT)),
            new DataType.Field("small", DataType.of(TypeKind.SMALLINT)),
            new DataType.Field("i", DataType.of(TypeKind.INTEGER)),
            new DataType.Field("r", DataType.of(TypeKind.REAL)),
            new DataType.Field("d", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("amount", DataType.decimal(10, 2)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("code", DataType.charType(5)),
            new DataType.Field("day", DataType.of(TypeKind.DATE)),
            new DataType.Field("t", DataType.time(0)),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("bin", DataType.of(TypeKind.VARBINARY)));

    /** The PostgreSQL columns for {@link #SCHEMA}, plus a sequence that records the order rows arrived in. */
    static final String COLUMNS = "seq BIGSERIAL, id BIGINT, flag BOOLEAN, tiny SMALLINT, small SMALLINT, i INTEGER, "
            + "r REAL, d DOUBLE PRECISION, amount NUMERIC(10, 2), name TEXT, code CHAR(5), day DATE, t TIME(0), "
            + "ts TIMESTAMP(3), bin BYTEA";

    private final TestPostgres postgres = TestPostgres.get();
    private String table;

    @Override
    protected String connectorName() {
        return JdbcConnectorFactory.NAME;
    }

    @Override
    protected List<DataType.Field> schema() {
        return SCHEMA;
    }

    @Override
    protected Map<String, String> sinkOptions(Path dir) {
        table = postgres.newTable("sink_conformance");
        postgres.execute("CREATE TABLE " + table + " (" + COLUMNS + ")");
        return postgres.options(table);
    }

    @Override
    protected List<Object[]> readBack() throws Exception {
        return readTable(postgres, table, SCHEMA, "seq");
    }

    /** The table's rows in Weir's representation, read with the connector's conversions. */
    static List<Object[]> readTable(TestPostgres postgres, String table, List<DataType.Field> schema, String orderBy)
            throws Exception {
        String columns = String.join(", ", schema.stream().map(DataType.Field::name).toList());
        try (Connection connection = postgres.connect();
             PreparedStatement statement = connection.prepareStatement("SELECT " + columns + " FROM " + table
                     + " ORDER BY " + orderBy);
             ResultSet result = statement.executeQuery()) {
            Dialect.POSTGRESQL.prepareSession(connection);
            BatchBuilder builder = new BatchBuilder(schema);
            while (result.next()) {
                for (int column = 0; column < schema.size(); column++) {
                    JdbcValues.read(result, column + 1, JdbcValues.isZonedTimestamp(result.getMetaData(), column + 1),
                            schema.get(column).type(), builder, column);
                }
                builder.commitRow();
            }
            return builder.build().rows();
        }
    }
}
