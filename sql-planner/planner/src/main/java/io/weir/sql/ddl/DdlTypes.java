package io.weir.sql.ddl;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.type.DataType;
import io.weir.sql.schema.TypeMapping;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;

import java.util.List;
import java.util.Properties;

/** Resolves the data types written in DDL into Weir types. */
final class DdlTypes {
    private final SqlValidator validator;

    DdlTypes(SchemaPlus rootSchema) {
        JavaTypeFactory typeFactory = new JavaTypeFactoryImpl();
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        CalciteConnectionConfig config = new CalciteConnectionConfigImpl(properties);
        CalciteCatalogReader reader = new CalciteCatalogReader(CalciteSchema.from(rootSchema), List.of(), typeFactory, config);
        this.validator = SqlValidatorUtil.newValidator(SqlStdOperatorTable.instance(), reader, typeFactory,
                SqlValidator.Config.DEFAULT);
    }

    DataType resolve(SqlDataTypeSpec spec, boolean nullable, String columnName) {
        RelDataType relType;
        try {
            relType = spec.deriveType(validator, nullable);
        } catch (RuntimeException e) {
            WeirException translated = SqlErrors.translate(e);
            throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(spec.getParserPosition()),
                    "Invalid type " + spec + " for column '" + columnName + "': " + translated.rawMessage(), e);
        }
        try {
            return TypeMapping.toDataType(relType, "column '" + columnName + "'");
        } catch (WeirException e) {
            throw new WeirException(e.errorCode(), SqlErrors.position(spec.getParserPosition()), e.rawMessage(), e);
        }
    }
}
