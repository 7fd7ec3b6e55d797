<#--
  Weir's additions to Calcite's SQL grammar, included into Calcite's Parser.jj template.

  Keep actions in Java 5 syntax (JavaCC 4.0 parses them): no lambdas, no diamond, no switch on
  strings. Anything longer than a few lines belongs in a class of io.weir.sql.parser.ddl.
-->

/**
 * Parses a character string literal ('text', continued 'a' 'b', U&'\00e9', N'text') as one
 * literal without character set.
 */
SqlCharStringLiteral WeirCharString() :
{
    final SqlNode node;
}
{
    node = StringLiteral() {
        return ParseSupport.toCharString(node);
    }
}

/**
 * Parses the value of an option or session property: a string, or a number or boolean that is
 * kept as the text a user would have put in quotes.
 */
SqlCharStringLiteral WeirPropertyValue() :
{
    final SqlCharStringLiteral string;
    final SqlLiteral number;
}
{
    string = WeirCharString() { return string; }
|
    number = NumericLiteral() {
        return SqlLiteral.createCharString(number.toValue(), number.getParserPosition());
    }
|
    <TRUE> { return SqlLiteral.createCharString("true", getPos()); }
|
    <FALSE> { return SqlLiteral.createCharString("false", getPos()); }
}

/**
 * Parses ('key' = 'value', ...) after WITH. A key given twice is a parse error at the second
 * occurrence, so the planner sees each key once.
 */
SqlNodeList WeirOptions() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    WeirAddOption(list)
    ( <COMMA> WeirAddOption(list) )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

/**
 * An option's value may be a parameter (?) of a prepared statement, bound as text; also as
 * CAST(? AS type), as the PostgreSQL endpoint writes a parameter whose type the client gave.
 */
void WeirAddOption(List<SqlNode> list) :
{
    final SqlCharStringLiteral key;
    final SqlNode value;
    SqlParserPos span = null;
    final SqlParserPos castStart;
}
{
    key = WeirCharString()
    <EQ>
    (
        value = WeirPropertyValue()
    |
        value = DynamicParam()
    |
        <CAST> { castStart = getPos(); }
        <LPAREN> value = DynamicParam() <AS> DataType() <RPAREN> {
            span = castStart.plus(getPos());
        }
    )
    {
        list.add(ParseSupport.checkNewOption(list, new SqlOption(key, value, span)));
    }
}

/** Parses the optional WITH (...) clause; absent options are an empty list. */
SqlNodeList WeirOptionsOpt() :
{
    final SqlNodeList withOptions;
}
{
    <WITH> withOptions = WeirOptions() { return withOptions; }
|
    { return SqlNodeList.EMPTY; }
}

/** Parses IF NOT EXISTS; "if" alone stays usable as an object name. */
boolean WeirIfNotExistsOpt() :
{
}
{
    LOOKAHEAD(3)
    <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses IF EXISTS; "if" alone stays usable as an object name. */
boolean WeirIfExistsOpt() :
{
}
{
    LOOKAHEAD(2)
    <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses COMMENT 'text'. */
SqlCharStringLiteral WeirComment() :
{
    final SqlCharStringLiteral comment;
}
{
    <COMMENT> comment = WeirCharString() { return comment; }
}

/**
 * Parses the parenthesized element list of CREATE STREAM and CREATE TABLE: columns, at most one
 * WATERMARK and at most one PRIMARY KEY, in any order.
 */
SqlNodeList WeirTableElements() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    WeirAddTableElement(list)
    ( <COMMA> WeirAddTableElement(list) )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

void WeirAddTableElement(List<SqlNode> list) :
{
    final Span s;
    final SqlIdentifier name;
    final SqlIdentifier column;
    final SqlNode expression;
    final SqlDataTypeSpec type;
    final SqlNodeList columns;
    final boolean nullable;
    boolean enforced = true;
    boolean virtual = false;
    SqlCharStringLiteral metadataKey = null;
    SqlCharStringLiteral comment = null;
}
{
    // WATERMARK is non-reserved: "watermark TIMESTAMP(3)" declares a column named watermark.
    LOOKAHEAD(2)
    <WATERMARK> { s = span(); } <FOR>
    column = SimpleIdentifier()
    <AS>
    expression = Expression(ExprContext.ACCEPT_NON_QUERY) {
        list.add(ParseSupport.checkNewElement(list,
            new SqlWatermark(s.end(this), column, expression)));
    }
|
    <PRIMARY> { s = span(); } <KEY>
    columns = ParenthesizedSimpleIdentifierList()
    [ <NOT> <ENFORCED> { enforced = false; } ]
    {
        list.add(ParseSupport.checkNewElement(list,
            new SqlPrimaryKey(s.end(this), columns, enforced)));
    }
|
    name = SimpleIdentifier() { s = span(); }
    (
        <AS> expression = Expression(ExprContext.ACCEPT_NON_QUERY)
        [ comment = WeirComment() ]
        {
            list.add(new SqlComputedColumn(s.end(this), name, expression, comment));
        }
    |
        type = DataType()
        (
            <METADATA>
            [ <FROM> metadataKey = WeirCharString() ]
            [ <VIRTUAL> { virtual = true; } ]
            [ comment = WeirComment() ]
            {
                list.add(new SqlMetadataColumn(s.end(this), name, type, metadataKey, virtual,
                    comment));
            }
        |
            nullable = NullableOptDefaultTrue()
            [ comment = WeirComment() ]
            {
                list.add(new SqlColumnDeclaration(s.end(this), name, type, !nullable, comment));
            }
        )
    )
}

/** Parses STREAM [IF NOT EXISTS] name (elements) [WITH (options)] after CREATE [OR REPLACE]. */
SqlCreate WeirCreateStream(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlNodeList elements;
    final SqlNodeList withOptions;
}
{
    <STREAM>
    ifNotExists = WeirIfNotExistsOpt()
    name = CompoundIdentifier()
    elements = WeirTableElements()
    withOptions = WeirOptionsOpt() {
        return new SqlCreateStream(s.end(this), replace, ifNotExists, name, elements, withOptions);
    }
}

/** Parses TABLE [IF NOT EXISTS] name (elements) [WITH (options)] after CREATE [OR REPLACE]. */
SqlCreate WeirCreateReferenceTable(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlNodeList elements;
    final SqlNodeList withOptions;
}
{
    <TABLE>
    ifNotExists = WeirIfNotExistsOpt()
    name = CompoundIdentifier()
    elements = WeirTableElements()
    withOptions = WeirOptionsOpt() {
        return new SqlCreateReferenceTable(s.end(this), replace, ifNotExists, name, elements,
            withOptions);
    }
}

/** Parses VIEW [IF NOT EXISTS] name [(column, ...)] AS query after CREATE [OR REPLACE]. */
SqlCreate WeirCreateView(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlNodeList columns = null;
    final SqlNode query;
}
{
    <VIEW>
    ifNotExists = WeirIfNotExistsOpt()
    name = CompoundIdentifier()
    [ columns = ParenthesizedSimpleIdentifierList() ]
    <AS>
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) {
        return new SqlCreateWeirView(s.end(this), replace, ifNotExists, name, columns, query);
    }
}

/**
 * Parses MATERIALIZED VIEW [IF NOT EXISTS] name [WITH (options)] AS query after
 * CREATE [OR REPLACE].
 */
SqlCreate WeirCreateMaterializedView(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlNodeList withOptions;
    final SqlNode query;
}
{
    <MATERIALIZED> <VIEW>
    ifNotExists = WeirIfNotExistsOpt()
    name = CompoundIdentifier()
    withOptions = WeirOptionsOpt()
    <AS>
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) {
        return new SqlCreateMaterializedView(s.end(this), replace, ifNotExists, name, withOptions,
            query);
    }
}

/** Parses STREAM | TABLE | VIEW | MATERIALIZED VIEW | FUNCTION [IF EXISTS] name [CASCADE | RESTRICT] after DROP. */
SqlDrop WeirDropObject(Span s, boolean replace) :
{
    final ObjectKind kind;
    final boolean ifExists;
    final SqlIdentifier name;
    boolean cascade = false;
}
{
    (
        <STREAM> { kind = ObjectKind.STREAM; }
    |
        <TABLE> { kind = ObjectKind.TABLE; }
    |
        <VIEW> { kind = ObjectKind.VIEW; }
    |
        <MATERIALIZED> <VIEW> { kind = ObjectKind.MATERIALIZED_VIEW; }
    |
        <FUNCTION> { kind = ObjectKind.FUNCTION; }
    )
    ifExists = WeirIfExistsOpt()
    name = CompoundIdentifier()
    [
        <CASCADE> { cascade = true; }
    |
        <RESTRICT> { cascade = false; }
    ]
    {
        return new SqlDropObject(s.end(this), kind, ifExists, name, cascade);
    }
}

/**
 * Parses SHOW STREAMS | TABLES | VIEWS | MATERIALIZED VIEWS | QUERIES | CONNECTORS | FORMATS
 * | USERS | TOKENS | FUNCTIONS [LIKE 'pattern'].
 */
SqlNode WeirShowObjects() :
{
    final Span s;
    final ShowKind kind;
    SqlCharStringLiteral pattern = null;
    SqlIdentifier grantee;
}
{
    <SHOW> { s = span(); }
    (
        <STREAMS> { kind = ShowKind.STREAMS; }
    |
        <TABLES> { kind = ShowKind.TABLES; }
    |
        <VIEWS> { kind = ShowKind.VIEWS; }
    |
        <MATERIALIZED> <VIEWS> { kind = ShowKind.MATERIALIZED_VIEWS; }
    |
        <QUERIES> { kind = ShowKind.QUERIES; }
    |
        <CONNECTORS> { kind = ShowKind.CONNECTORS; }
    |
        <FORMATS> { kind = ShowKind.FORMATS; }
    |
        <USERS> { kind = ShowKind.USERS; }
    |
        <TOKENS> { kind = ShowKind.TOKENS; }
    |
        <FUNCTIONS> { kind = ShowKind.FUNCTIONS; }
    |
        <GRANTS> { grantee = null; }
        [ <FOR> grantee = SimpleIdentifier() ]
        { return new SqlShowGrants(s.end(this), grantee); }
    |
        // SHOW is reserved, so SHOW followed by anything is ours: say what SHOW can list,
        // at the unknown word, rather than failing at SHOW with every statement keyword.
        LOOKAHEAD({ getToken(1).kind != STREAMS && getToken(1).kind != TABLES
            && getToken(1).kind != VIEWS && getToken(1).kind != MATERIALIZED
            && getToken(1).kind != QUERIES && getToken(1).kind != CONNECTORS
            && getToken(1).kind != FORMATS && getToken(1).kind != USERS
            && getToken(1).kind != TOKENS && getToken(1).kind != GRANTS
            && getToken(1).kind != FUNCTIONS })
        {
            throw ParseSupport.unknownShowKind(getToken(1).image, new SqlParserPos(
                getToken(1).beginLine, getToken(1).beginColumn,
                getToken(1).endLine, getToken(1).endColumn));
        }
    )
    [ <LIKE> pattern = WeirCharString() ]
    {
        return new SqlShowObjects(s.end(this), kind, pattern);
    }
}

/**
 * Parses DESCRIBE | DESC, followed by STREAM | TABLE | VIEW | MATERIALIZED VIEW name,
 * CONNECTOR 'name', or a plain name. Calcite's DESCRIBE SCHEMA | DATABASE | CATALOG name,
 * DESCRIBE [TABLE] name column and DESCRIBE STATEMENT query keep their meaning; DESCRIBE query
 * (without STATEMENT) is left to Calcite's own production.
 */
SqlNode WeirDescribe() :
{
    final Span s;
    final SqlIdentifier name;
    final SqlIdentifier column;
    final SqlCharStringLiteral connector;
    final SqlNode stmt;
}
{
    ( <DESCRIBE> | <DESC> ) { s = span(); }
    (
        <STREAM> name = CompoundIdentifier() {
            return new SqlDescribeObject(s.end(this), ObjectKind.STREAM, name);
        }
    |
        <TABLE> name = CompoundIdentifier()
        (
            column = SimpleIdentifier() {
                return new SqlDescribeTable(s.end(this), name, column);
            }
        |
            { return new SqlDescribeObject(s.end(this), ObjectKind.TABLE, name); }
        )
    |
        LOOKAHEAD(2)
        <VIEW> name = CompoundIdentifier() {
            return new SqlDescribeObject(s.end(this), ObjectKind.VIEW, name);
        }
    |
        LOOKAHEAD(2)
        <MATERIALIZED> <VIEW> name = CompoundIdentifier() {
            return new SqlDescribeObject(s.end(this), ObjectKind.MATERIALIZED_VIEW, name);
        }
    |
        LOOKAHEAD(2)
        <CONNECTOR> connector = WeirCharString() {
            return new SqlDescribeConnector(s.end(this), connector);
        }
    |
        LOOKAHEAD(2)
        ( <DATABASE> | <CATALOG> | <SCHEMA> ) name = CompoundIdentifier() {
            return new SqlDescribeSchema(s.end(this), name);
        }
    |
        LOOKAHEAD(2)
        <STATEMENT> stmt = SqlQueryOrDml() {
            return new SqlExplain(s.end(this), stmt,
                SqlExplainLevel.EXPPLAN_ATTRIBUTES.symbol(SqlParserPos.ZERO),
                SqlExplain.Depth.PHYSICAL.symbol(SqlParserPos.ZERO),
                SqlExplainFormat.TEXT.symbol(SqlParserPos.ZERO),
                nDynamicParams);
        }
    |
        name = CompoundIdentifier()
        (
            column = SimpleIdentifier() {
                return new SqlDescribeTable(s.end(this), name, column);
            }
        |
            { return new SqlDescribeObject(s.end(this), null, name); }
        )
    )
}

/** Parses SET 'key' = value, or SET alone (list the session properties). */
SqlNode WeirSetProperty() :
{
    final Span s;
    final SqlCharStringLiteral key;
    final SqlCharStringLiteral value;
}
{
    <SET> { s = span(); }
    (
        key = WeirCharString()
        <EQ>
        value = WeirPropertyValue() {
            return new SqlSetProperty(s.end(this), key, value);
        }
    |
        // Calcite's SET name = value stays Calcite's: only a bare SET is ours.
        LOOKAHEAD({ getToken(1).kind == EOF || getToken(1).kind == SEMICOLON })
        {
            return new SqlSetProperty(s.end(this), null, null);
        }
    )
}

/** Parses RESET 'key', or RESET alone (reset all session properties). */
SqlNode WeirResetProperty() :
{
    final Span s;
    final SqlCharStringLiteral key;
}
{
    <RESET> { s = span(); }
    (
        key = WeirCharString() {
            return new SqlResetProperty(s.end(this), key);
        }
    |
        // Calcite's RESET name and RESET ALL stay Calcite's: only a bare RESET is ours.
        LOOKAHEAD({ getToken(1).kind == EOF || getToken(1).kind == SEMICOLON })
        {
            return new SqlResetProperty(s.end(this), null);
        }
    )
}

/** Parses STOP QUERY 'id' or STOP QUERY id. */
SqlNode WeirStopQuery() :
{
    final Span s;
    final SqlCharStringLiteral id;
}
{
    <STOP> { s = span(); } <QUERY> id = WeirQueryId() {
        return new SqlStopQuery(s.end(this), id);
    }
}

/** Parses EXPLAIN ANALYZE QUERY 'id' (or an id without quotes): a running query's operators with their figures. */
SqlNode WeirExplainAnalyzeQuery() :
{
    final Span s;
    final SqlCharStringLiteral id;
}
{
    <EXPLAIN> { s = span(); } <ANALYZE> <QUERY> id = WeirQueryId() {
        return new SqlExplainAnalyzeQuery(s.end(this), id);
    }
}

/** A query id: 'id', a name, or digits and letters written together (30ab12cd), kept exactly as written. */
SqlCharStringLiteral WeirQueryId() :
{
    final SqlCharStringLiteral literal;
    final SqlIdentifier identifier;
    final SqlLiteral number;
}
{
    (
        literal = WeirCharString() {
            return literal;
        }
    |
        identifier = SimpleIdentifier() {
            return SqlLiteral.createCharString(identifier.getSimple(), identifier.getParserPosition());
        }
    |
        number = UnsignedNumericLiteral() {
            // An id such as 30456560, 304e6560 or 30ab12cd is lexed as a number (and a name): take the
            // adjacent tokens as written, not the number's value (3.04E6562).
            StringBuilder id = new StringBuilder(getToken(0).image);
            Token last = getToken(0);
            while (getToken(1).beginLine == last.endLine && getToken(1).beginColumn == last.endColumn + 1
                    && getToken(1).image.matches("[0-9A-Za-z_]+")) {
                last = getNextToken();
                id.append(last.image);
            }
            return SqlLiteral.createCharString(id.toString(), number.getParserPosition());
        }
    )
}

/**
 * Parses the type names Calcite lacks: STRING (VARCHAR), BYTES (VARBINARY), TIMESTAMP_LTZ[(p)]
 * (TIMESTAMP WITH LOCAL TIME ZONE), ARRAY<T> (T ARRAY) and ROW<name T, ...>, whose fields are
 * nullable unless NOT NULL (in Calcite's ROW(name T, ...) fields are NOT NULL unless NULL).
 * MAP<K, V>, ROW(...) and T ARRAY are Calcite's own.
 */
SqlTypeNameSpec WeirTypeName() :
{
    final Span s;
    final int precision;
    final SqlDataTypeSpec elementType;
    final List<SqlIdentifier> fieldNames = new ArrayList<SqlIdentifier>();
    final List<SqlDataTypeSpec> fieldTypes = new ArrayList<SqlDataTypeSpec>();
}
{
    <STRING> {
        return new SqlBasicTypeNameSpec(SqlTypeName.VARCHAR, getPos());
    }
|
    <BYTES> {
        return new SqlBasicTypeNameSpec(SqlTypeName.VARBINARY, getPos());
    }
|
    <TIMESTAMP_LTZ> { s = span(); }
    precision = PrecisionOpt() {
        return new SqlBasicTypeNameSpec(SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, precision,
            s.end(this));
    }
|
    <ARRAY> { s = span(); } <LT>
    elementType = DataType()
    <GT> {
        return new SqlCollectionTypeNameSpec(elementType.getTypeNameSpec(), SqlTypeName.ARRAY,
            s.end(this));
    }
|
    <ROW> { s = span(); } <LT>
    WeirAddRowField(fieldNames, fieldTypes)
    ( <COMMA> WeirAddRowField(fieldNames, fieldTypes) )*
    <GT> {
        return new SqlRowTypeNameSpec(s.end(this), fieldNames, fieldTypes);
    }
}

/** Parses one "name type [NULL | NOT NULL]" field of ROW<...>; nullable unless NOT NULL. */
void WeirAddRowField(List<SqlIdentifier> fieldNames, List<SqlDataTypeSpec> fieldTypes) :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    final boolean nullable;
}
{
    name = SimpleIdentifier()
    type = DataType()
    nullable = NullableOptDefaultTrue() {
        fieldNames.add(name);
        fieldTypes.add(type.withNullable(nullable, getPos()));
    }
}

/* The keyword TOKEN, named ACCESS_TOKEN because JavaCC reserves TOKEN; non-reserved (config.fmpp). */
<DEFAULT, DQID, BTID, BQID, BQHID> TOKEN :
{
    < ACCESS_TOKEN: "TOKEN" >
}

/**
 * Parses the options of CREATE USER and ALTER USER into {@code given}: [0] the password literal,
 * [1] Boolean.TRUE for ADMIN or Boolean.FALSE for NOADMIN. Each may be given once.
 */
void WeirUserOption(Object[] given) :
{
    final SqlCharStringLiteral password;
}
{
    <PASSWORD> {
        if (given[0] != null) {
            throw ParseSupport.repeatedUserOption("PASSWORD", getPos());
        }
    }
    password = WeirCharString() { given[0] = password; }
|
    <ADMIN> {
        if (given[1] != null) {
            throw ParseSupport.repeatedUserOption("ADMIN", getPos());
        }
        given[1] = Boolean.TRUE;
    }
|
    <NOADMIN> {
        if (given[1] != null) {
            throw ParseSupport.repeatedUserOption("NOADMIN", getPos());
        }
        given[1] = Boolean.FALSE;
    }
}

/** Parses USER [IF NOT EXISTS] name [WITH] PASSWORD 'password' [ADMIN | NOADMIN] after CREATE. */
SqlCreate WeirCreateUser(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final Object[] given = new Object[2];
}
{
    <USER> {
        if (replace) {
            throw ParseSupport.error(s.pos(), "CREATE OR REPLACE USER is not supported: ALTER USER changes a user");
        }
    }
    ifNotExists = WeirIfNotExistsOpt()
    name = SimpleIdentifier()
    [ <WITH> ]
    ( WeirUserOption(given) )*
    {
        return new SqlCreateUser(s.end(this), ifNotExists, name, (SqlCharStringLiteral) given[0],
            (Boolean) given[1]);
    }
}

/** Parses ALTER USER name [WITH] PASSWORD 'password' | ADMIN | NOADMIN ... */
SqlNode WeirAlterUser() :
{
    final Span s;
    final SqlIdentifier name;
    final Object[] given = new Object[2];
}
{
    <ALTER> { s = span(); } <USER>
    name = SimpleIdentifier()
    [ <WITH> ]
    ( WeirUserOption(given) )+
    {
        return new SqlAlterUser(s.end(this), name, (SqlCharStringLiteral) given[0],
            (Boolean) given[1]);
    }
}

/** Parses USER [IF EXISTS] name after DROP. */
SqlDrop WeirDropUser(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <USER>
    ifExists = WeirIfExistsOpt()
    name = SimpleIdentifier() {
        return new SqlDropUser(s.end(this), ifExists, name);
    }
}

/** Parses FUNCTION [IF NOT EXISTS] name AS 'class' USING JAR 'uri' after CREATE [OR REPLACE]. */
SqlCreate WeirCreateFunction(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    final SqlCharStringLiteral className;
    final SqlCharStringLiteral jar;
}
{
    <FUNCTION>
    ifNotExists = WeirIfNotExistsOpt()
    name = CompoundIdentifier()
    <AS>
    className = WeirCharString()
    <USING> <JAR>
    jar = WeirCharString() {
        return new SqlCreateFunction(s.end(this), replace, ifNotExists, name, className, jar);
    }
}

/** Parses TOKEN name FOR USER user after CREATE. */
SqlCreate WeirCreateToken(Span s, boolean replace) :
{
    final SqlIdentifier name;
    final SqlIdentifier user;
}
{
    <ACCESS_TOKEN> {
        if (replace) {
            throw ParseSupport.error(s.pos(), "CREATE OR REPLACE TOKEN is not supported: DROP TOKEN, then CREATE TOKEN");
        }
    }
    name = SimpleIdentifier()
    <FOR> <USER>
    user = SimpleIdentifier() {
        return new SqlCreateToken(s.end(this), name, user);
    }
}

/** Parses TOKEN [IF EXISTS] name after DROP. */
SqlDrop WeirDropToken(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <ACCESS_TOKEN>
    ifExists = WeirIfExistsOpt()
    name = SimpleIdentifier() {
        return new SqlDropToken(s.end(this), ifExists, name);
    }
}

/** Parses one privilege of GRANT or REVOKE on an object: SELECT | INSERT | ALL [PRIVILEGES]. */
GrantPrivilege WeirObjectPrivilege() :
{
}
{
    <SELECT> { return GrantPrivilege.SELECT; }
|
    <INSERT> { return GrantPrivilege.INSERT; }
|
    <ALL> [ <PRIVILEGES> ] { return GrantPrivilege.ALL; }
}

/**
 * Parses what GRANT and REVOKE give or take, up to the user: CREATE; METRICS; USAGE ON CONNECTOR name;
 * or SELECT | INSERT | ALL [PRIVILEGES] [, ...] ON STREAM | TABLE | MATERIALIZED VIEW name.
 * Fills {@code privileges}; returns [0] the GrantTarget, [1] the object's name (null for CREATE).
 */
Object[] WeirGrantSubject(List<GrantPrivilege> privileges) :
{
    GrantPrivilege privilege;
    final GrantTarget target;
    SqlIdentifier object = null;
    SqlCharStringLiteral connector;
}
{
    (
        <CREATE> { privileges.add(GrantPrivilege.CREATE); target = GrantTarget.SERVER; }
    |
        <METRICS> { privileges.add(GrantPrivilege.METRICS); target = GrantTarget.SERVER; }
    |
        <USAGE> { privileges.add(GrantPrivilege.USAGE); } <ON> <CONNECTOR>
        (
            object = SimpleIdentifier()
        |
            connector = WeirCharString() {
                object = new SqlIdentifier(connector.toValue(), connector.getParserPosition());
            }
        )
        { target = GrantTarget.CONNECTOR; }
    |
        privilege = WeirObjectPrivilege() { privileges.add(privilege); }
        ( <COMMA> privilege = WeirObjectPrivilege() { privileges.add(privilege); } )*
        <ON>
        (
            <STREAM> { target = GrantTarget.STREAM; }
        |
            <TABLE> { target = GrantTarget.TABLE; }
        |
            <MATERIALIZED> <VIEW> { target = GrantTarget.MATERIALIZED_VIEW; }
        )
        object = CompoundIdentifier()
    )
    {
        return new Object[] {target, object};
    }
}

/** Parses GRANT ... TO user (see WeirGrantSubject). */
SqlNode WeirGrant() :
{
    final Span s;
    final List<GrantPrivilege> privileges = new ArrayList<GrantPrivilege>();
    final Object[] subject;
    final SqlIdentifier user;
}
{
    <GRANT> { s = span(); }
    subject = WeirGrantSubject(privileges)
    <TO> user = SimpleIdentifier() {
        return new SqlGrant(s.end(this), false, privileges, (GrantTarget) subject[0], (SqlIdentifier) subject[1], user);
    }
}

/** Parses REVOKE ... FROM user (see WeirGrantSubject). */
SqlNode WeirRevoke() :
{
    final Span s;
    final List<GrantPrivilege> privileges = new ArrayList<GrantPrivilege>();
    final Object[] subject;
    final SqlIdentifier user;
}
{
    <REVOKE> { s = span(); }
    subject = WeirGrantSubject(privileges)
    <FROM> user = SimpleIdentifier() {
        return new SqlGrant(s.end(this), true, privileges, (GrantTarget) subject[0], (SqlIdentifier) subject[1], user);
    }
}

/**
 * Parses a statement with an optional EMIT clause at its end: EMIT EVERY interval | EMIT AFTER
 * WATERMARK (see SqlEmit). Weir's parser (WeirSqlParser) reads statements with this, not SqlStmt.
 */
SqlNode WeirStatement() :
{
    final SqlNode stmt;
    SqlNode emitted = null;
}
{
    stmt = SqlStmt()
    [ emitted = WeirEmitClause(stmt) ]
    {
        return emitted == null ? stmt : emitted;
    }
}

SqlNode WeirEmitClause(SqlNode stmt) :
{
    final Span s;
    final SqlLiteral interval;
}
{
    <EMIT> { s = span(); }
    (
        <EVERY> interval = IntervalLiteral() {
            return new SqlEmit(s.end(this), stmt, interval);
        }
    |
        <AFTER> <WATERMARK> {
            return new SqlEmit(s.end(this), stmt, null);
        }
    )
}

/** One statement (with its EMIT clause) and the end of the text. */
SqlNode WeirStatementEof() :
{
    final SqlNode stmt;
}
{
    stmt = WeirStatement() <EOF> {
        return stmt;
    }
}

/** Statements (each with its EMIT clause) separated by semicolons, as SqlStmtList. */
SqlNodeList WeirStatementList() :
{
    final List<SqlNode> stmtList = new ArrayList<SqlNode>();
    SqlNode stmt;
}
{
    (
        stmt = WeirStatement() {
            stmtList.add(stmt);
        }
        (
            <SEMICOLON>
            [
                stmt = WeirStatement() {
                    stmtList.add(stmt);
                }
            ]
        )*
    )?
    <EOF>
    {
        return new SqlNodeList(stmtList, Span.of(stmtList).pos());
    }
}
