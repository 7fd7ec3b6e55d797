package io.weir.sql.stream.codegen;

import io.weir.engine.expression.BatchFilter;
import io.weir.engine.expression.BatchProjection;
import io.weir.engine.expression.EvaluationContext;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.function.ProcessingTime;
import io.weir.sql.schema.TypeMapping;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.schema.ScalarFunction;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpressionCompilerTest {
    private static final List<DataType.Field> INPUT = List.of(
            new DataType.Field("id", DataType.of(TypeKind.INTEGER).withNullable(false)),
            new DataType.Field("amount", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("flag", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("price", DataType.decimal(10, 2)));

    private final RelDataTypeFactory typeFactory = new JavaTypeFactoryImpl();
    private final RexBuilder rex = new RexBuilder(typeFactory);
    private final ExpressionCompiler compiler = new ExpressionCompiler(rex);
    private final RelDataType inputType = rowType(INPUT);

    private RelDataType rowType(List<DataType.Field> fields) {
        RelDataTypeFactory.Builder builder = typeFactory.builder();
        for (DataType.Field field : fields) {
            builder.add(field.name(), TypeMapping.toRelDataType(typeFactory, field.type()));
        }
        return builder.build();
    }

    private Batch batch() {
        return Batch.of(INPUT, List.of(
                new Object[] {1L, 2.5, "alice", 60_000L, true, new BigDecimal("1.50")},
                new Object[] {2L, null, "bob", 120_500L, false, new BigDecimal("2.25")},
                new Object[] {3L, 10.0, null, null, null, null},
                new Object[] {4L, -1.0, "carol", 3_600_000L, true, new BigDecimal("-3.00")}));
    }

    private RexNode ref(int index) {
        return rex.makeInputRef(inputType.getFieldList().get(index).getType(), index);
    }

    private static int[] all(Batch batch) {
        int[] selection = new int[batch.rowCount()];
        Arrays.setAll(selection, i -> i);
        return selection;
    }

    private List<Object[]> project(List<RexNode> projects, Batch batch, int[] selection, int count, long processingTime) {
        BatchProjection projection = compiler.compileProjection(inputType, projects);
        List<DataType.Field> output = new ArrayList<>();
        for (int i = 0; i < projects.size(); i++) {
            output.add(new DataType.Field("e" + i, TypeMapping.toDataType(projects.get(i).getType(), "e" + i)));
        }
        BatchBuilder out = new BatchBuilder(output);
        projection.project(batch, selection, count, new EvaluationContext(processingTime, Long.MIN_VALUE), out);
        return out.build().rows();
    }

    private int[] filter(RexNode condition, Batch batch) {
        BatchFilter filter = compiler.compileFilter(inputType, condition);
        int[] selection = all(batch);
        int count = filter.filter(batch, selection, selection.length, selection);
        return Arrays.copyOf(selection, count);
    }

    @Test
    void filtersWithThreeValuedLogic() {
        Batch batch = batch();
        // amount > 0: NULL for row 1 drops it like FALSE
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.GREATER_THAN, ref(1), rex.makeExactLiteral(BigDecimal.ZERO)), batch))
                .containsExactly(0, 2);
        // NOT(flag): row 2 (NULL) is dropped, row 1 kept
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.NOT, ref(4)), batch)).containsExactly(1);
        // flag OR id > 2: NULL OR TRUE is TRUE
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.OR, ref(4),
                rex.makeCall(SqlStdOperatorTable.GREATER_THAN, ref(0), rex.makeExactLiteral(BigDecimal.valueOf(2)))), batch))
                .containsExactly(0, 2, 3);
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.IS_NULL, ref(2)), batch)).containsExactly(2);
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.LIKE, ref(2), rex.makeLiteral("%o%")), batch)).containsExactly(1, 3);
    }

    @Test
    void testsNullOfPrimitiveColumnsInsideConditions() {
        Batch batch = batch();
        RexNode bobOrNullAmount = rex.makeCall(SqlStdOperatorTable.OR,
                rex.makeCall(SqlStdOperatorTable.EQUALS, ref(2), rex.makeLiteral("carol")),
                rex.makeCall(SqlStdOperatorTable.AND,
                        rex.makeCall(SqlStdOperatorTable.EQUALS, ref(2), rex.makeLiteral("bob")),
                        rex.makeCall(SqlStdOperatorTable.IS_NULL, ref(1))));
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.IS_NOT_NULL, ref(3)), batch)).containsExactly(0, 1, 3);
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.IS_NULL, ref(1)), batch)).containsExactly(1);
        assertThat(filter(rex.makeCall(SqlStdOperatorTable.AND, rex.makeCall(SqlStdOperatorTable.IS_NOT_NULL, ref(1)),
                rex.makeCall(SqlStdOperatorTable.IS_NOT_NULL, ref(2))), batch)).containsExactly(0, 3);
        assertThat(filter(bobOrNullAmount, batch)).containsExactly(1, 3);
    }

    @Test
    void filtersOnlyTheSelectedRows() {
        Batch batch = batch();
        BatchFilter filter = compiler.compileFilter(inputType,
                rex.makeCall(SqlStdOperatorTable.GREATER_THAN, ref(0), rex.makeExactLiteral(BigDecimal.ONE)));
        int[] selection = {0, 3};
        int[] out = new int[2];
        assertThat(filter.filter(batch, selection, 2, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(3);
    }

    @Test
    void projectsArithmeticCaseCastAndStrings() {
        Batch batch = batch();
        RexNode doubled = rex.makeCall(SqlStdOperatorTable.MULTIPLY, ref(0), rex.makeExactLiteral(BigDecimal.valueOf(2)));
        RexNode upper = rex.makeCall(SqlStdOperatorTable.UPPER, ref(2));
        RexNode caseExpr = rex.makeCall(SqlStdOperatorTable.CASE,
                rex.makeCall(SqlStdOperatorTable.GREATER_THAN, ref(1), rex.makeApproxLiteral(BigDecimal.valueOf(5))),
                rex.makeLiteral("big"), rex.makeLiteral("small"));
        RexNode cast = rex.makeCast(typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR), false), ref(0));
        RexNode plusPrice = rex.makeCall(SqlStdOperatorTable.PLUS, ref(5), rex.makeExactLiteral(BigDecimal.ONE));
        RexNode floorTs = rex.makeCall(SqlStdOperatorTable.FLOOR, ref(3), rex.makeFlag(org.apache.calcite.avatica.util.TimeUnitRange.HOUR));
        List<Object[]> rows = project(List.of(doubled, upper, caseExpr, cast, plusPrice, ref(4), floorTs, ref(1)), batch, all(batch), 4, 0);
        assertThat(rows).extracting(r -> r[0]).containsExactly(2L, 4L, 6L, 8L);
        assertThat(rows).extracting(r -> r[1]).containsExactly("ALICE", "BOB", null, "CAROL");
        assertThat(rows).extracting(r -> r[2]).containsExactly("small", "small", "big", "small");
        assertThat(rows).extracting(r -> r[3]).containsExactly("1", "2", "3", "4");
        assertThat(rows).extracting(r -> r[4]).containsExactly(new BigDecimal("2.50"), new BigDecimal("3.25"), null, new BigDecimal("-2.00"));
        assertThat(rows).extracting(r -> r[5]).containsExactly(true, false, null, true);
        assertThat(rows).extracting(r -> r[6]).containsExactly(0L, 0L, null, 3_600_000L);
        assertThat(rows).extracting(r -> r[7]).containsExactly(2.5, null, 10.0, -1.0);
    }

    @Test
    void projectsOnlyTheSelectedRows() {
        Batch batch = batch();
        List<Object[]> rows = project(List.of(ref(0)), batch, new int[] {3, 1}, 2, 0);
        assertThat(rows).extracting(r -> r[0]).containsExactly(4L, 2L);
    }

    @Test
    void processingTimeIsTheBatchTime() {
        ScalarFunction function = (ScalarFunction) ProcessingTime.function();
        SqlUserDefinedFunction proctime = new SqlUserDefinedFunction(new org.apache.calcite.sql.SqlIdentifier("PROCTIME",
                org.apache.calcite.sql.parser.SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                ReturnTypes.explicit(typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.TIMESTAMP, 3), false)),
                null, null, function);
        RexNode call = rex.makeCall(proctime);
        List<Object[]> rows = project(List.of(call), batch(), all(batch()), 4, 1_234_567L);
        assertThat(rows).extracting(r -> r[0]).containsOnly(1_234_567L);
    }

    @Test
    void rejectsFunctionsWithoutAnImplementation() {
        SqlFunction unknown = new SqlFunction("MYSTERY", SqlKind.OTHER_FUNCTION, ReturnTypes.INTEGER, null,
                OperandTypes.ANY, SqlFunctionCategory.SYSTEM);
        assertThatThrownBy(() -> compiler.compileProjection(inputType, List.of(rex.makeCall(unknown, ref(0)))))
                .isInstanceOf(WeirException.class)
                .hasMessageContaining("MYSTERY is not supported in continuous queries");
    }

    @Test
    void readsAndWritesBinaryValues() {
        List<DataType.Field> fields = List.of(new DataType.Field("b", new DataType(TypeKind.VARBINARY, true,
                DataType.UNSPECIFIED, 0, List.of(), List.of())));
        RelDataType type = rowType(fields);
        Batch batch = Batch.of(fields, List.of(new Object[] {new byte[] {1, 2}}, new Object[] {null}));
        RexNode b = rex.makeInputRef(type.getFieldList().get(0).getType(), 0);
        RexNode doubled = rex.makeCall(SqlStdOperatorTable.CONCAT, b, b);
        BatchProjection projection = compiler.compileProjection(type, List.of(doubled, b));
        List<DataType.Field> output = List.of(new DataType.Field("d", TypeMapping.toDataType(doubled.getType(), "d")), fields.get(0));
        BatchBuilder out = new BatchBuilder(output);
        projection.project(batch, new int[] {0, 1}, 2, new EvaluationContext(0, 0), out);
        List<Object[]> rows = out.build().rows();
        assertThat((byte[]) rows.get(0)[0]).containsExactly(1, 2, 1, 2);
        assertThat((byte[]) rows.get(0)[1]).containsExactly(1, 2);
        assertThat(rows.get(1)).containsExactly(null, null);
    }

    @Test
    void compilesLibraryFunctions() {
        RexNode concat = rex.makeCall(SqlStdOperatorTable.CONCAT, ref(2), rex.makeLiteral("!"));
        RexNode length = rex.makeCall(SqlStdOperatorTable.CHAR_LENGTH, ref(2));
        List<Object[]> rows = project(List.of(concat, length), batch(), all(batch()), 4, 0);
        assertThat(rows).extracting(r -> r[0]).containsExactly("alice!", "bob!", null, "carol!");
        assertThat(rows).extracting(r -> r[1]).containsExactly(5L, 3L, null, 5L);
        assertThat(SqlLibraryOperators.class).isNotNull();
    }
}
