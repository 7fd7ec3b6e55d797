// node-postgres against Weir's PostgreSQL endpoint: prints one JSON line per check, for NodePostgresTest.
// Usage: node client.js PORT
const { Client } = require('pg');

const port = Number(process.argv[2]);

function report(check, value) {
  process.stdout.write(JSON.stringify({ check, value }) + '\n');
}

async function main() {
  const client = new Client({ host: '127.0.0.1', port, user: 'tester', database: 'weir', application_name: 'node-test' });
  await client.connect();

  // simple query protocol (no parameters), several statements in one string
  const simple = await client.query('SELECT 1 AS num, \'two\' AS word');
  report('simple', simple.rows);
  const many = await client.query('SELECT 1 AS a; SELECT 2 AS b');
  report('multiple', many.map((result) => result.rows));

  // extended query protocol: parameters, and a named statement prepared once and run twice
  const values = 'SELECT x, y FROM (VALUES (1, \'a\'), (2, \'b\'), (3, \'c\')) AS t(x, y) WHERE x >= $1 AND y <> $2 ORDER BY x';
  report('parameters', (await client.query(values, [2, 'c'])).rows);
  const named = { name: 'by-x', text: 'SELECT y FROM (VALUES (1, \'a\'), (2, \'b\')) AS t(x, y) WHERE x = $1' };
  report('named', [(await client.query({ ...named, values: [1] })).rows, (await client.query({ ...named, values: [2] })).rows]);

  // types as node-postgres parses them from the text format
  const typed = await client.query('SELECT TIMESTAMP \'2024-05-06 07:08:09.123\' AS ts, CAST(12.5 AS DECIMAL(5, 2)) AS d,'
    + ' TRUE AS b, CAST(2.5 AS DOUBLE) AS f, CAST(7 AS BIGINT) AS n, DATE \'2024-05-06\' AS dt');
  const row = typed.rows[0];
  report('types', {
    ts: row.ts instanceof Date, d: row.d, b: row.b, f: row.f, n: row.n, dt: row.dt instanceof Date,
    oids: typed.fields.map((field) => field.dataTypeID),
  });

  // intervals as postgres-interval parses PostgreSQL's text; a parameter sent as text, and one sent in binary
  // (a Buffer: node-postgres sends it in binary format), both of the type the server describes
  const intervals = await client.query('SELECT INTERVAL \'90\' MINUTE AS m, TIMESTAMP \'2024-01-02 12:00:00.5\''
    + ' - TIMESTAMP \'2024-01-01 10:00:00\' AS d, \'1 year 2 months\'::interval AS ym, -INTERVAL \'5\' SECOND AS neg');
  const interval = intervals.rows[0];
  const binary = Buffer.alloc(16);
  binary.writeBigInt64BE(5400000000n, 0); // 90 minutes in microseconds, 0 days, 0 months
  const parameters = await client.query('SELECT $1::interval AS text, $2::interval AS binary', ['1 day 02:00:00', binary]);
  report('intervals', {
    m: interval.m.toISOString(), d: interval.d.toISOString(), ym: interval.ym.toISOString(), neg: interval.neg.toISOString(),
    hours: interval.m.hours, minutes: interval.m.minutes, oid: intervals.fields[0].dataTypeID,
    text: parameters.rows[0].text.toISOString(), binary: parameters.rows[0].binary.toISOString(),
  });

  // an error names its SQLSTATE and position, and the connection goes on
  try {
    await client.query('SELECT * FROM no_such_table');
    report('error', null);
  } catch (error) {
    report('error', { code: error.code, position: error.position, message: error.message });
  }
  try {
    await client.query('SELECT $1 + 1 FROM no_such_table', [1]);
    report('extended error', null);
  } catch (error) {
    report('extended error', { code: error.code });
  }
  report('after error', (await client.query('SELECT 41 + 1 AS answer')).rows);

  // the catalog as SQLAlchemy-like tools read it, and a continuous query through a cursor
  await client.query('CREATE STREAM node_ticks (n BIGINT) WITH (\'connector\' = \'datagen\', \'rows-per-second\' = \'200\')');
  const tables = await client.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
    ['weir']);
  report('tables', tables.rows.map((r) => r.table_name));
  await client.query('BEGIN');
  await client.query('DECLARE c CURSOR FOR SELECT STREAM n FROM node_ticks');
  const fetched = await client.query('FETCH 5 FROM c WITH (timeout = \'10s\')');
  await client.query('CLOSE c');
  await client.query('COMMIT');
  report('cursor', fetched.rows.length);

  await client.end();
  report('done', true);
}

main().catch((error) => {
  report('failed', String(error && error.stack || error));
  process.exit(1);
});
