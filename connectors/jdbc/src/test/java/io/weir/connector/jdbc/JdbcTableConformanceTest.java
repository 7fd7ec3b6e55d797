package io.weir.connector.jdbc;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A PostgreSQL table read as a bounded reference table. */
class JdbcTableConformanceTest extends ConnectorConformanceTest {
    private static final int ROWS = 23; // several polls of SourceHarness.POLL_ROWS, and several fetches

    private final TestPostgres postgres = TestPostgres.get();

    @Override
    protected String connectorName() {
        return JdbcConnectorFactory.NAME;
    }

    @Override
    protected ObjectKind kind() {
        return ObjectKind.TABLE;
    }

    @Override
    protected List<DataType.Field> schema() {
        return List.of(new DataType.Field("currency", DataType.varchar()),
                new DataType.Field("rate", DataType.decimal(10, 4)),
                new DataType.Field("updated", DataType.timestamp(3)),
                new DataType.Field("active", DataType.of(TypeKind.BOOLEAN)));
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        String table = postgres.newTable("rates");
        postgres.execute("CREATE TABLE " + table + " (currency TEXT PRIMARY KEY, rate NUMERIC(10, 4), "
                + "updated TIMESTAMP(3), active BOOLEAN, ignored TEXT)");
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int i = 0; i < ROWS; i++) {
            insert.append(i == 0 ? "" : ", ").append("('C").append(i).append("', ").append(i).append(".125, ")
                    .append(i % 4 == 3 ? "NULL" : "TIMESTAMP '2023-11-14 22:13:20' + INTERVAL '" + i + " second'")
                    .append(", ").append(i % 2 == 0).append(", 'x')");
        }
        postgres.execute(insert.toString());
        Map<String, String> options = postgres.options(table);
        options.put("scan.fetch-size", "5");
        return options;
    }

    @Override
    protected List<Object[]> expectedRows() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(new Object[] {"C" + i, new BigDecimal(i + ".1250"),
                    i % 4 == 3 ? null : 1_700_000_000_000L + i * 1_000L, i % 2 == 0});
        }
        return rows;
    }
}
