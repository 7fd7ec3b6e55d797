package io.weir.formats.csv;

import io.weir.formats.ColumnIndex;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.util.Arrays;
import java.util.List;

/**
 * Decodes CSV records into rows. Empty records and (with {@code 'csv.allow-comments'}) comment
 * records carry no row. With {@code 'csv.header'} the first record of each split is the header: its
 * names map fields to columns (ignoring case; unknown names are ignored, columns it lacks are NULL).
 *
 * <p>With a projection, the fields of the columns not read are checked as CSV (quotes, field count)
 * but neither copied nor converted, and their columns are left NULL: a bad value or a NULL for a
 * {@code NOT NULL} column there is no error, as in {@code json}.
 */
final class CsvRecordDecoder implements RecordDecoder {
    private final List<DataType.Field> schema;
    private final CsvSettings settings;
    private final CsvFieldParser parser;
    private final ColumnIndex columns;
    private final boolean[] isString;
    private final boolean[] filled;
    /** Per column, whether the projection reads it. */
    private final boolean[] read;

    /** For each field position, the column it fills (-1: none). Identity when there is no header. */
    private int[] fieldToColumn;
    /** For each field position, whether its text is needed (its column is read); null when every field is. */
    private boolean[] wantedFields;
    private boolean expectHeader;
    /** Set when the split's header is unusable: every record of the split then fails with it. */
    private String headerProblem;

    CsvRecordDecoder(List<DataType.Field> schema, CsvSettings settings) {
        this(schema, settings, Projection.all());
    }

    CsvRecordDecoder(List<DataType.Field> schema, CsvSettings settings, Projection projection) {
        this.schema = List.copyOf(schema);
        this.settings = settings;
        this.parser = new CsvFieldParser(settings);
        this.columns = new ColumnIndex(this.schema);
        this.isString = new boolean[this.schema.size()];
        this.filled = new boolean[this.schema.size()];
        this.read = new boolean[this.schema.size()];
        for (int column = 0; column < read.length; column++) {
            read[column] = projection.reads(column);
        }
        for (int i = 0; i < isString.length; i++) {
            TypeKind kind = this.schema.get(i).type().kind();
            isString[i] = kind == TypeKind.VARCHAR || kind == TypeKind.CHAR;
        }
        startSplit();
    }

    @Override
    public void startSplit() {
        expectHeader = settings.header();
        headerProblem = null;
        if (!settings.header()) {
            fieldToColumn = new int[schema.size()];
            Arrays.setAll(fieldToColumn, i -> i);
            wantedFields = wantedFields(fieldToColumn);
        }
    }

    /** Which fields are converted: those of columns read (null: all of them, nothing to skip). */
    private boolean[] wantedFields(int[] columnOfField) {
        boolean[] wanted = new boolean[columnOfField.length];
        boolean all = true;
        for (int field = 0; field < wanted.length; field++) {
            wanted[field] = columnOfField[field] >= 0 && read[columnOfField[field]];
            all &= wanted[field];
        }
        return all ? null : wanted;
    }

    @Override
    public boolean decode(String record, RowWriter out) throws RecordDecodeException {
        if (!record.isEmpty() && record.charAt(0) == '\uFEFF') {
            record = record.substring(1);
        }
        if (record.isEmpty() || settings.allowComments() && record.charAt(0) == CsvSettings.COMMENT) {
            return false;
        }
        if (headerProblem != null) {
            throw new RecordDecodeException(headerProblem);
        }
        if (expectHeader) {
            parser.parse(record);
            expectHeader = false;
            readHeader(record);
            return false;
        }
        parser.parse(record, wantedFields);
        int count = parser.count();
        if (count != fieldToColumn.length) {
            throw new RecordDecodeException("expected " + fieldToColumn.length + " fields"
                    + (settings.header() ? " (as in the header)" : "") + " but found " + count);
        }
        Arrays.fill(filled, false);
        for (int field = 0; field < count; field++) {
            int column = fieldToColumn[field];
            if (column >= 0) {
                if (read[column]) {
                    write(column, parser.value(field), parser.quoted(field), out);
                }
                filled[column] = true;
            }
        }
        for (int column = 0; column < filled.length; column++) {
            if (!filled[column] && read[column]) {
                if (!schema.get(column).type().nullable()) {
                    throw RecordDecodeException.forField(schema.get(column).name(), "missing from the header, but the column is NOT NULL");
                }
                out.setNull(column);
            }
        }
        return true;
    }

    private void readHeader(String record) throws RecordDecodeException {
        int count = parser.count();
        fieldToColumn = new int[count];
        boolean[] mapped = new boolean[schema.size()];
        boolean any = false;
        for (int field = 0; field < count; field++) {
            int column = columns.find(parser.value(field).strip());
            if (column >= 0 && !mapped[column]) {
                mapped[column] = true;
                fieldToColumn[field] = column;
                any = true;
            } else {
                fieldToColumn[field] = -1;
            }
        }
        wantedFields = wantedFields(fieldToColumn);
        if (!any) {
            headerProblem = "the header '" + (record.length() > 100 ? record.substring(0, 100) + "..." : record)
                    + "' names none of the columns " + schema.stream().map(DataType.Field::name).toList()
                    + "; check 'csv.field-delimiter' and 'csv.header'";
            throw new RecordDecodeException(headerProblem);
        }
    }

    private void write(int column, String value, boolean quoted, RowWriter out) throws RecordDecodeException {
        DataType.Field field = schema.get(column);
        DataType type = field.type();
        boolean isNull = !quoted && value.equals(settings.nullLiteral()) || !isString[column] && value.isEmpty();
        if (isNull) {
            if (!type.nullable()) {
                throw RecordDecodeException.forField(field.name(), "NULL for a NOT NULL column");
            }
            out.setNull(column);
            return;
        }
        try {
            switch (type.kind().representation()) {
                case LONG -> out.setLong(column, ValueConversion.longFromText(type, value));
                case DOUBLE -> out.setDouble(column, ValueConversion.doubleFromText(type, value));
                case BOOLEAN -> out.setBoolean(column, ValueConversion.booleanFromText(type, value));
                case OBJECT -> out.setObject(column, ValueConversion.objectFromText(type, value));
            }
        } catch (ConversionException e) {
            throw RecordDecodeException.forField(field.name(), e.getMessage());
        }
    }
}
