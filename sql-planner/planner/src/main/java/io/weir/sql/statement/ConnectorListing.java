package io.weir.sql.statement;

import io.weir.spi.connector.CommonOptions;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.Connectors;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** SHOW CONNECTORS, SHOW FORMATS and DESCRIBE CONNECTOR: what is installed and the options each takes. */
final class ConnectorListing {
    private static final DataType TEXT = DataType.varchar();

    StatementResult.Rows showConnectors(String like) {
        Pattern pattern = like == null ? null : CatalogListing.likeToRegex(like);
        List<Object[]> rows = new ArrayList<>();
        for (ConnectorFactory connector : Connectors.all()) {
            if (pattern == null || pattern.matcher(connector.name()).matches()) {
                rows.add(new Object[] {connector.name(), connector.description(),
                        String.join(", ", connector.capabilities().stream().map(Enum::name).sorted().toList())});
            }
        }
        return StatementResult.Rows.of(List.of(new ResultColumn("name", TEXT), new ResultColumn("description", TEXT),
                new ResultColumn("capabilities", TEXT)), rows);
    }

    StatementResult.Rows showFormats(String like) {
        Pattern pattern = like == null ? null : CatalogListing.likeToRegex(like);
        List<Object[]> rows = new ArrayList<>();
        for (FormatFactory format : Formats.all()) {
            if (pattern == null || pattern.matcher(format.name()).matches()) {
                rows.add(new Object[] {format.name(), format.description()});
            }
        }
        return StatementResult.Rows.of(List.of(new ResultColumn("name", TEXT), new ResultColumn("description", TEXT)), rows);
    }

    /** The options of a connector (its own and the common ones), or of a format. */
    StatementResult.Rows describe(String name) {
        List<Object[]> rows = new ArrayList<>();
        ConnectorFactory connector = Connectors.find(name);
        for (ConfigOption option : CommonOptions.all()) {
            if (option != CommonOptions.FORMAT || connector.usesFormat().supported()) {
                ConfigOption effective = option == CommonOptions.FORMAT
                        ? connector.usesFormat().defaultFormatName().map(option::withDefault).orElse(option) : option;
                rows.add(row("common", effective));
            }
        }
        for (ConfigOption option : connector.options()) {
            rows.add(row("connector", option));
        }
        if (connector.usesFormat().supported()) {
            for (FormatFactory format : Formats.all()) {
                for (ConfigOption option : format.options()) {
                    rows.add(row("format " + format.name(), option));
                }
            }
        }
        return StatementResult.Rows.of(List.of(new ResultColumn("scope", TEXT), new ResultColumn("option", TEXT),
                new ResultColumn("type", TEXT), new ResultColumn("required", TEXT), new ResultColumn("default", TEXT),
                new ResultColumn("description", TEXT)), rows);
    }

    private static Object[] row(String scope, ConfigOption option) {
        return new Object[] {scope, option.isPrefix() ? option.key() + "*" : option.key(), option.typeDescription(),
                option.required() ? "yes" : "no", option.defaultValue(), option.description()};
    }
}
