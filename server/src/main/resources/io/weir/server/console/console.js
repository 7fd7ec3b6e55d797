// Weir's web console. One dependency-free script: the page is served from the server's jar and fetches
// nothing from elsewhere at run time, and a hand-written SVG line chart (below) is all the charting it
// needs, so there is no Node build step and no third-party code to keep up to date.
//
// Everything it shows comes from SQL the signed-in user could run too (SHOW, DESCRIBE, sys.queries,
// sys.dead_letters, STOP QUERY), through the server's /api/sql. Data is put into the page with
// textContent and DOM nodes only, never as HTML, so values containing markup are shown, not run.
'use strict';

(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const CREDENTIALS_KEY = 'weir.console.credentials';
  const NUMERIC = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'REAL', 'DOUBLE', 'DECIMAL']);
  const TEMPORAL = new Set(['TIMESTAMP', 'DATE', 'TIME']);
  const MAX_TABLE_ROWS = 500;
  const MAX_CHART_POINTS = 2000;
  const COLORS = ['#1f5fa8', '#d0642a', '#2f9c5a', '#a63d94', '#b8a019', '#3aa6b8', '#7a4f2a', '#5a5a5a'];

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- DOM helpers (text only, never HTML)

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === 'className') {
        if (value) {
          node.className = value;
        }
      } else if (name === 'onclick') {
        node.addEventListener('click', value);
      } else if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined) {
        continue;
      }
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attributes) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    return node;
  }

  function replace(container, ...children) {
    container.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
  }

  function display(value) {
    if (value === null || value === undefined) {
      return 'NULL';
    }
    if (Array.isArray(value) || typeof value === 'object') {
      return JSON.stringify(value);
    }
    return String(value);
  }

  /** A table of a result: columns [{name, type}], rows [[...]]; action(row) may add a first cell (a button). */
  function table(columns, rows, options) {
    const opts = options || {};
    const head = el('tr', null, ...columns.map((column) => el('th', { title: column.type }, column.name)));
    if (opts.action) {
      head.insertBefore(el('th'), head.firstChild);
    }
    const body = el('tbody');
    for (const row of rows) {
      const tr = el('tr', opts.rowClass ? { className: opts.rowClass(row) } : null);
      if (opts.action) {
        tr.appendChild(el('td', null, opts.action(row)));
      }
      columns.forEach((column, i) => {
        const value = row[i];
        const text = display(value);
        let cls = NUMERIC.has(column.type) ? 'number' : '';
        if (value === null || value === undefined) {
          cls = 'null';
        } else if (text.length > 60) {
          cls = 'long'; // one line, cut; the whole text on hover
        }
        tr.appendChild(el('td', { className: cls || null, title: cls === 'long' ? text : null }, text));
      });
      body.appendChild(tr);
    }
    return el('table', opts.id ? { id: opts.id } : null, el('thead', null, head), body);
  }

  // ---------------------------------------------------------------- the server's API

  let credentials = sessionStorage.getItem(CREDENTIALS_KEY);

  class ApiError extends Error {
    constructor(status, body) {
      super(body && body.error ? body.error : 'HTTP ' + status);
      this.status = status;
      this.sqlstate = body && body.sqlstate;
    }
  }

  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    if (credentials) {
      opts.headers.Authorization = 'Basic ' + credentials;
    }
    let response;
    try {
      response = await fetch(path, opts);
    } catch (e) {
      setServerStatus('server unreachable');
      throw new ApiError(0, { error: 'The server cannot be reached: ' + e.message });
    }
    setServerStatus('');
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (response.status === 401) {
      signedOut(body && body.error);
      throw new ApiError(401, body);
    }
    if (!response.ok) {
      throw new ApiError(response.status, body);
    }
    return body;
  }

  function sql(statement) {
    return api('/api/sql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql: statement }),
    });
  }

  /** Rows of a query as objects by column name. */
  async function objects(statement) {
    const result = await sql(statement);
    return result.rows.map((row) => Object.fromEntries(result.columns.map((column, i) => [column.name, row[i]])));
  }

  function quoteIdentifier(name) {
    return '"' + String(name).replace(/"/g, '""') + '"';
  }

  function quoteLiteral(text) {
    return "'" + String(text).replace(/'/g, "''") + "'";
  }

  function setServerStatus(text) {
    $('server-status').textContent = text;
  }

  // ---------------------------------------------------------------- sign-in

  let started = false;

  async function boot() {
    try {
      const session = await api('/api/session');
      if (session.authentication && !session.user) {
        signedOut(''); // a server with users, and no one signed in yet
      } else {
        signedIn(session);
      }
    } catch (e) {
      if (e.status !== 401) {
        setServerStatus(e.message);
      }
    }
  }

  function signedIn(session) {
    $('sign-in').hidden = true;
    $('app').hidden = false;
    $('user-name').textContent = session.user ? 'signed in as ' + session.user : 'authentication off';
    $('sign-out').hidden = !session.authentication;
    if (!started) {
      started = true;
      startPanels();
    }
  }

  function signedOut(message) {
    const wasSignedIn = credentials !== null;
    credentials = null;
    sessionStorage.removeItem(CREDENTIALS_KEY);
    stopPanels();
    editor.close();
    $('app').hidden = true;
    $('sign-in').hidden = false;
    $('sign-out').hidden = true;
    $('user-name').textContent = '';
    $('sign-in-error').textContent = wasSignedIn || attempting ? (message || 'Sign-in failed') : '';
  }

  let attempting = false;

  async function signIn(event) {
    event.preventDefault();
    const user = $('sign-in-user').value;
    const password = $('sign-in-password').value;
    // RFC 7617 with UTF-8: what the server reads
    credentials = btoa(String.fromCharCode(...new TextEncoder().encode(user + ':' + password)));
    attempting = true;
    $('sign-in-button').disabled = true;
    try {
      const session = await api('/api/session');
      // kept for this tab only (sessionStorage), so that a reload stays signed in; gone when the tab closes
      sessionStorage.setItem(CREDENTIALS_KEY, credentials);
      $('sign-in-password').value = '';
      $('sign-in-error').textContent = '';
      signedIn(session);
    } catch (e) {
      if (e.status !== 401) {
        $('sign-in-error').textContent = e.message;
      }
    } finally {
      attempting = false;
      $('sign-in-button').disabled = false;
    }
  }

  async function signOut() {
    await editor.close(); // while the credentials still let it stop the query
    credentials = null;
    sessionStorage.removeItem(CREDENTIALS_KEY);
    signedOut('');
    $('sign-in-error').textContent = '';
  }

  // ---------------------------------------------------------------- periodic panels

  const timers = [];

  function every(millis, task) {
    let stopped = false;
    let timer = null;
    const run = async () => {
      if (stopped) {
        return;
      }
      try {
        await task();
      } catch (e) {
        // each panel shows its own errors; a failed refresh is tried again
      }
      if (!stopped) {
        timer = setTimeout(run, millis);
      }
    };
    run();
    timers.push(() => {
      stopped = true;
      clearTimeout(timer);
    });
  }

  function startPanels() {
    every(10000, loadCatalog);
    every(2000, loadQueries);
    every(2000, refreshView);
    every(5000, loadProblems);
  }

  function stopPanels() {
    while (timers.length > 0) {
      timers.pop()();
    }
    started = false;
  }

  // ---------------------------------------------------------------- catalog

  const openEntries = new Set();
  let knownViews = [];

  async function loadCatalog() {
    const container = $('catalog');
    try {
      const [streams, tables, views, materialized] = await Promise.all([
        sql('SHOW STREAMS'), sql('SHOW TABLES'), sql('SHOW VIEWS'), sql('SHOW MATERIALIZED VIEWS')]);
      const sections = [
        catalogSection('Streams', 'stream', streams),
        catalogSection('Tables', 'table', tables),
        catalogSection('Views', 'view', views),
        catalogSection('Materialized views', 'materialized-view', materialized),
      ];
      replace(container, ...sections);
      updateViewChoices(materialized.rows.map((row) => row[0]));
    } catch (e) {
      if (e.status !== 401) {
        replace(container, el('p', { className: 'error' }, e.message));
      }
    }
  }

  function catalogSection(title, kind, result) {
    const nameAt = Math.max(0, result.columns.findIndex((column) => column.name.toLowerCase() === 'name'));
    const connectorAt = result.columns.findIndex((column) => column.name.toLowerCase() === 'connector');
    const entries = result.rows.map((row) => {
      const name = String(row[nameAt]);
      const key = kind + ':' + name;
      const details = el('details', { 'data-name': name, 'data-kind': kind },
        el('summary', null, name, connectorAt >= 0 && row[connectorAt] ? el('span', { className: 'kind' }, row[connectorAt]) : null));
      const body = el('div', { className: 'columns' });
      details.appendChild(body);
      details.addEventListener('toggle', () => {
        if (details.open) {
          openEntries.add(key);
          describe(name, body);
        } else {
          openEntries.delete(key);
        }
      });
      if (openEntries.has(key)) {
        details.open = true; // fires toggle, which describes it again
      }
      return details;
    });
    return el('section', null, el('h3', null, title),
      entries.length > 0 ? el('div', null, ...entries) : el('div', { className: 'empty' }, 'none'));
  }

  async function describe(name, container) {
    try {
      const result = await sql('DESCRIBE ' + quoteIdentifier(name));
      replace(container, table(result.columns, result.rows));
    } catch (e) {
      replace(container, el('p', { className: 'error' }, e.message));
    }
  }

  // ---------------------------------------------------------------- running queries

  const previousCounts = new Map(); // query id -> {at, rowsIn, rowsOut}

  async function loadQueries() {
    const container = $('queries');
    let rows;
    try {
      rows = await objects('SELECT query_id, kind, state, owner, rows_in, rows_out, source_lag, late_rows, state_rows,'
        + ' state_bytes, result_latency_p50_ms, result_latency_p99_ms, end_to_end_latency_p99_ms, started, error, query_text'
        + ' FROM sys.queries WHERE ended IS NULL');
    } catch (e) {
      if (e.status !== 401) {
        replace(container, el('p', { className: 'error' }, e.message));
      }
      return;
    }
    const now = performance.now();
    const columns = ['query_id', 'kind', 'state', 'owner', 'rows/s in', 'rows/s out', 'rows_in', 'rows_out', 'source_lag',
      'late_rows', 'state_rows', 'state_bytes', 'latency p50 ms', 'latency p99 ms', 'end-to-end latency p99 ms', 'started',
      'query_text']
      .map((name) => ({ name, type: /rows|lag|bytes|latency/.test(name) ? 'DOUBLE' : 'VARCHAR' }));
    const seen = new Set();
    const shown = rows.map((query) => {
      seen.add(query.query_id);
      const before = previousCounts.get(query.query_id);
      const seconds = before ? (now - before.at) / 1000 : 0;
      const rate = (current, previous) => (before && seconds > 0 ? Math.max(0, (current - previous) / seconds).toFixed(1) : null);
      const shownRow = [query.query_id, query.kind, query.state, query.owner,
        rate(query.rows_in, before && before.rowsIn), rate(query.rows_out, before && before.rowsOut),
        query.rows_in, query.rows_out, query.source_lag, query.late_rows, query.state_rows, query.state_bytes,
        query.result_latency_p50_ms, query.result_latency_p99_ms, query.end_to_end_latency_p99_ms, query.started,
        query.error ? query.query_text + '\n-- error: ' + query.error : query.query_text];
      previousCounts.set(query.query_id, { at: now, rowsIn: Number(query.rows_in), rowsOut: Number(query.rows_out) });
      return shownRow;
    });
    for (const id of [...previousCounts.keys()]) {
      if (!seen.has(id)) {
        previousCounts.delete(id);
      }
    }
    if (shown.length === 0) {
      replace(container, el('p', { className: 'hint', id: 'no-queries' }, 'No queries are running.'));
      return;
    }
    replace(container, table(columns, shown, {
      id: 'queries-table',
      rowClass: (row) => 'state-' + row[2],
      action: (row) => {
        const id = String(row[0]);
        const isView = id.startsWith('view:');
        return el('button', {
          type: 'button',
          className: 'danger stop-query',
          'data-query-id': id,
          disabled: isView,
          title: isView ? 'A materialized view runs until DROP MATERIALIZED VIEW' : 'STOP QUERY ' + quoteLiteral(id),
          onclick: (event) => stopQuery(id, event.target),
        }, 'Stop');
      },
    }));
  }

  async function stopQuery(id, button) {
    button.disabled = true;
    try {
      await sql('STOP QUERY ' + quoteLiteral(id));
    } catch (e) {
      button.disabled = false;
      window.alert(e.message);
    }
    loadQueries().catch(() => {});
  }

  // ---------------------------------------------------------------- problems

  async function loadProblems() {
    try {
      const errors = await sql('SELECT query_id, kind, state, ended, error FROM sys.queries WHERE error IS NOT NULL'
        + ' ORDER BY started DESC LIMIT 20');
      replace($('errors'), errors.rows.length > 0 ? table(errors.columns, errors.rows) : el('p', { className: 'hint' }, 'None.'));
    } catch (e) {
      if (e.status !== 401) {
        replace($('errors'), el('p', { className: 'error' }, e.message));
      }
    }
    try {
      const letters = await sql('SELECT received_at, object_name, source, reason, raw FROM sys.dead_letters'
        + ' ORDER BY received_at DESC LIMIT 20');
      replace($('dead-letters'), letters.rows.length > 0 ? table(letters.columns, letters.rows) : el('p', { className: 'hint' }, 'None.'));
    } catch (e) {
      if (e.status !== 401) {
        replace($('dead-letters'), el('p', { className: 'error' }, e.message));
      }
    }
  }

  // ---------------------------------------------------------------- line chart (SVG, hand-written)

  /** Milliseconds for a TIMESTAMP/DATE/TIME value as the server writes it, or a number for numbers. */
  function toNumber(value, type) {
    if (value === null || value === undefined) {
      return NaN;
    }
    if (type === 'TIMESTAMP') {
      return Date.parse(String(value).replace(' ', 'T') + 'Z');
    }
    if (type === 'DATE') {
      return Date.parse(String(value) + 'T00:00:00Z');
    }
    if (type === 'TIME') {
      return Date.parse('1970-01-01T' + String(value) + 'Z');
    }
    return Number(value);
  }

  /** An x-axis label; milliseconds too when the axis spans only a few seconds. */
  function formatX(value, type, span) {
    if (TEMPORAL.has(type)) {
      const iso = new Date(value).toISOString();
      return type === 'DATE' ? iso.slice(0, 10) : iso.slice(11, span < 10000 ? 23 : 19);
    }
    return formatY(value);
  }

  function formatY(value) {
    const magnitude = Math.abs(value);
    if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-3)) {
      return value.toExponential(2);
    }
    return String(Math.round(value * 1000) / 1000);
  }

  /**
   * Draws series (Map name -> [[x, y], ...], sorted by x) into container as an SVG line chart with axes. The
   * number of points drawn is in the svg's data-points attribute.
   */
  function drawChart(container, series, xType) {
    const width = Math.max(300, container.clientWidth || 800);
    const height = 220;
    const left = 56;
    const right = 12;
    const top = 10;
    const bottom = 26;
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'line chart' });
    let points = 0;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (const line of series.values()) {
      for (const [x, y] of line) {
        points++;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    }
    chart.setAttribute('data-points', String(points));
    if (points === 0) {
      const empty = svg('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'empty' });
      empty.textContent = 'no rows to chart yet';
      chart.appendChild(empty);
      container.replaceChildren(chart);
      return;
    }
    if (minY > 0 && minY / (maxY || 1) > 0.5) {
      minY = 0; // positive values close together (counts per window): from zero, so that small changes look small
    }
    if (minX === maxX) {
      minX -= 1;
      maxX += 1;
    }
    if (minY === maxY) {
      minY -= 1;
      maxY += 1;
    }
    const sx = (x) => left + ((x - minX) / (maxX - minX)) * (width - left - right);
    const sy = (y) => top + (1 - (y - minY) / (maxY - minY)) * (height - top - bottom);
    for (let i = 0; i <= 4; i++) {
      const yValue = minY + ((maxY - minY) * i) / 4;
      const y = sy(yValue);
      chart.appendChild(svg('line', { x1: left, x2: width - right, y1: y, y2: y, class: 'grid' }));
      const label = svg('text', { x: left - 4, y: y + 3, 'text-anchor': 'end', class: 'label' });
      label.textContent = formatY(yValue);
      chart.appendChild(label);
      const xValue = minX + ((maxX - minX) * i) / 4;
      const xLabel = svg('text', { x: sx(xValue), y: height - 8, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle', class: 'label' });
      xLabel.textContent = formatX(xValue, xType, maxX - minX);
      chart.appendChild(xLabel);
    }
    chart.appendChild(svg('line', { x1: left, x2: left, y1: top, y2: height - bottom, class: 'axis' }));
    chart.appendChild(svg('line', { x1: left, x2: width - right, y1: height - bottom, y2: height - bottom, class: 'axis' }));
    let index = 0;
    const legend = el('div', { className: 'legend' });
    for (const [name, line] of series) {
      const color = COLORS[index++ % COLORS.length];
      const path = svg('polyline', {
        class: 'line',
        stroke: color,
        points: line.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' '),
      });
      const title = svg('title');
      title.textContent = name;
      path.appendChild(title);
      chart.appendChild(path);
      if (line.length === 1) {
        chart.appendChild(svg('circle', { cx: sx(line[0][0]), cy: sy(line[0][1]), r: 2.5, fill: color }));
      }
      if (series.size > 1) {
        const swatch = svg('svg', { width: 10, height: 10 });
        swatch.appendChild(svg('rect', { width: 10, height: 10, fill: color }));
        legend.appendChild(el('span', null, swatch, ' ', name, '  '));
      }
    }
    container.replaceChildren(chart, legend);
  }

  /**
   * A chart of a result with selects for its x (a window or other time column), y (a numeric column) and series
   * (a text column whose values each get a line) columns, chosen sensibly at first.
   */
  class ResultChart {
    constructor(prefix) {
      this.controls = $(prefix + '-chart-controls');
      this.container = $(prefix + '-chart');
      this.x = $(prefix + '-chart-x');
      this.y = $(prefix + '-chart-y');
      this.series = $(prefix + '-chart-series');
      this.columns = [];
      this.rows = [];
      for (const select of [this.x, this.y, this.series]) {
        select.addEventListener('change', () => this.draw());
      }
    }

    /** Sets up for a new result's columns; false when nothing in it can be charted. */
    reset(columns) {
      this.columns = columns;
      this.rows = [];
      const indexes = columns.map((column, i) => i);
      const xs = indexes.filter((i) => TEMPORAL.has(columns[i].type) || NUMERIC.has(columns[i].type));
      const ys = indexes.filter((i) => NUMERIC.has(columns[i].type));
      const texts = indexes.filter((i) => columns[i].type === 'VARCHAR' || columns[i].type === 'CHAR');
      const chartable = xs.length > 0 && ys.length > 0 && (xs.length > 1 || ys[0] !== xs[0]);
      this.controls.hidden = !chartable;
      this.container.hidden = !chartable;
      if (!chartable) {
        this.container.replaceChildren();
        return false;
      }
      // x: the window's end (or start), else the first time column, else the first number
      const named = (pattern) => xs.find((i) => TEMPORAL.has(columns[i].type) && pattern.test(columns[i].name));
      let x = named(/window_end|_end$/i);
      if (x === undefined) {
        x = named(/window_start|_start$/i);
      }
      if (x === undefined) {
        x = xs.find((i) => TEMPORAL.has(columns[i].type));
      }
      if (x === undefined) {
        x = xs[0];
      }
      const y = ys.find((i) => i !== x);
      const option = (i) => el('option', { value: i }, columns[i].name);
      replace(this.x, ...xs.map(option));
      replace(this.y, ...ys.map(option));
      replace(this.series, el('option', { value: '' }, '(one line)'), ...texts.map(option));
      this.x.value = String(x);
      this.y.value = String(y === undefined ? ys[0] : y);
      this.series.value = '';
      return true;
    }

    /** The column drawn along x; null when the result cannot be charted. */
    xColumn() {
      return this.controls.hidden || this.x.value === '' ? null : this.columns[Number(this.x.value)];
    }

    setRows(rows) {
      this.rows = rows.slice(-MAX_CHART_POINTS);
      this.draw();
    }

    addRows(rows) {
      for (const row of rows) {
        this.rows.push(row);
      }
      if (this.rows.length > MAX_CHART_POINTS) {
        this.rows.splice(0, this.rows.length - MAX_CHART_POINTS);
      }
      this.draw();
    }

    draw() {
      if (this.controls.hidden) {
        return;
      }
      const x = Number(this.x.value);
      const y = Number(this.y.value);
      const by = this.series.value === '' ? -1 : Number(this.series.value);
      const xType = this.columns[x].type;
      const yType = this.columns[y].type;
      // A window's row may come again with a new value (early results, updates): the latest per x, series and
      // group (the other text columns: the GROUP BY keys) wins; the groups of one x are then summed into the line.
      const keys = this.columns.map((column, i) => i)
        .filter((i) => i !== by && (this.columns[i].type === 'VARCHAR' || this.columns[i].type === 'CHAR' || this.columns[i].type === 'BOOLEAN'));
      const latest = new Map();
      for (const row of this.rows) {
        const name = by < 0 ? this.columns[y].name : display(row[by]);
        const px = toNumber(row[x], xType);
        const py = toNumber(row[y], yType);
        if (Number.isFinite(px) && Number.isFinite(py)) {
          if (!latest.has(name)) {
            latest.set(name, new Map());
          }
          latest.get(name).set(px + '\u0000' + keys.map((i) => display(row[i])).join('\u0000'), [px, py]);
        }
      }
      const series = new Map();
      for (const [name, byGroup] of [...latest.entries()].slice(0, COLORS.length)) {
        const sums = new Map();
        for (const [px, py] of byGroup.values()) {
          sums.set(px, (sums.get(px) || 0) + py);
        }
        series.set(name, [...sums.entries()].sort((a, b) => a[0] - b[0]));
      }
      drawChart(this.container, series, xType);
    }
  }

  // ---------------------------------------------------------------- SQL editor

  const editor = {
    chart: null,
    cursor: null, // the continuous query being read: {id, queryId}
    columns: [],
    rows: [],
    generation: 0,

    async run() {
      const statement = $('sql').value.trim();
      if (statement === '') {
        return;
      }
      await this.close();
      const generation = ++this.generation;
      this.status('Running…', false);
      $('run').disabled = true;
      let result;
      try {
        result = await sql(statement);
      } catch (e) {
        if (generation === this.generation) {
          this.status(e.message, true);
          $('result').hidden = true;
        }
        return;
      } finally {
        $('run').disabled = false;
      }
      if (generation !== this.generation) {
        if (result.kind === 'continuous') {
          this.closeCursor(result.cursor);
        }
        return;
      }
      if (result.kind === 'count') {
        const warnings = result.warnings.length > 0 ? '\nWarning: ' + result.warnings.join('\nWarning: ') : '';
        this.status((result.message || result.count + ' rows affected') + warnings, false);
        $('result').hidden = true;
        loadCatalog();
        return;
      }
      this.columns = result.columns;
      this.rows = [];
      $('result').hidden = false;
      const chartable = this.chart.reset(result.columns);
      if (result.kind === 'rows') {
        this.rows = result.rows;
        this.renderTable();
        if (chartable) {
          this.chart.setRows(result.rows);
        }
        this.status(result.rows.length + (result.truncated ? '+ rows (the first ' + result.rows.length + ' shown)' : ' rows'), false);
        return;
      }
      this.cursor = { id: result.cursor, queryId: result.queryId };
      $('stop-run').disabled = false;
      this.renderTable();
      this.chart.setRows([]);
      this.status('Query ' + result.queryId + ' running: 0 rows', false);
      this.follow(generation, result.cursor, 0);
      loadQueries().catch(() => {});
    },

    /** Long-polls the cursor for rows until it ends, fails, or the editor moves on. */
    async follow(generation, cursorId, offset) {
      let next = offset;
      while (generation === this.generation) {
        let answer;
        try {
          answer = await api('/api/cursors/' + encodeURIComponent(cursorId) + '?offset=' + next);
        } catch (e) {
          if (generation === this.generation) {
            this.ended(e.status === 0 ? e.message : 'The query ended: ' + e.message, true);
          }
          return;
        }
        if (generation !== this.generation) {
          return;
        }
        next = answer.offset;
        if (answer.rows.length > 0) {
          for (const row of answer.rows) {
            this.rows.push(row);
          }
          if (this.rows.length > MAX_TABLE_ROWS) {
            this.rows.splice(0, this.rows.length - MAX_TABLE_ROWS);
          }
          this.renderTable();
          this.chart.addRows(answer.rows);
          this.status('Query ' + this.cursor.queryId + ' running: ' + next + ' rows', false);
        }
        if (answer.done) {
          this.ended('The query finished: ' + next + ' rows', false);
          return;
        }
      }
    },

    ended(message, failed) {
      this.cursor = null;
      $('stop-run').disabled = true;
      this.status(message, failed);
    },

    renderTable() {
      // newest first, as rows arrive
      replace($('result-table'), table(this.columns, this.cursor ? [...this.rows].reverse() : this.rows, { id: 'result-rows' }));
    },

    /** Stops reading the current continuous query, which stops it on the server. */
    async close() {
      this.generation++;
      const open = this.cursor;
      this.cursor = null;
      $('stop-run').disabled = true;
      if (open) {
        await this.closeCursor(open.id);
        this.status('Query ' + open.queryId + ' stopped', false);
        loadQueries().catch(() => {});
      }
    },

    closeCursor(id, keepalive) {
      const headers = credentials ? { Authorization: 'Basic ' + credentials } : {};
      return fetch('/api/cursors/' + encodeURIComponent(id), { method: 'DELETE', headers, keepalive: !!keepalive })
        .catch(() => {});
    },

    status(text, failed) {
      const node = $('run-status');
      node.textContent = text;
      node.className = failed ? 'run-status error' : 'run-status';
    },
  };

  // ---------------------------------------------------------------- materialized view chart

  let viewChart = null;
  let viewShown = null; // the view whose columns the chart is set up for

  function updateViewChoices(names) {
    const select = $('view-name');
    const current = select.value;
    if (names.join('\n') === knownViews.join('\n')) {
      return;
    }
    knownViews = names;
    replace(select, el('option', { value: '' }, names.length > 0 ? '(pick a view)' : '(no materialized views)'),
      ...names.map((name) => el('option', { value: name }, name)));
    select.value = names.includes(current) ? current : '';
  }

  async function refreshView() {
    const name = $('view-name').value;
    if (name === '') {
      viewShown = null;
      $('view-chart-controls').hidden = true;
      replace($('view-chart'));
      replace($('view-table'));
      return;
    }
    // The newest rows first, once the chart's time column is known: a view may hold more rows than one answer
    const x = viewShown === name ? viewChart.xColumn() : null;
    const order = x && TEMPORAL.has(x.type) ? ' ORDER BY ' + quoteIdentifier(x.name) + ' DESC LIMIT 1000' : '';
    let result;
    try {
      result = await sql('SELECT * FROM ' + quoteIdentifier(name) + order);
    } catch (e) {
      if (e.status !== 401) {
        replace($('view-table'), el('p', { className: 'error' }, e.message));
      }
      return;
    }
    if (name !== $('view-name').value) {
      return;
    }
    if (viewShown !== name) {
      viewShown = name;
      viewChart.reset(result.columns);
    }
    viewChart.setRows(result.rows);
    replace($('view-table'), table(result.columns, result.rows));
  }

  // ---------------------------------------------------------------- wiring

  function start() {
    editor.chart = new ResultChart('result');
    viewChart = new ResultChart('view');
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('run').addEventListener('click', () => editor.run());
    $('stop-run').addEventListener('click', () => editor.close());
    $('catalog-refresh').addEventListener('click', () => loadCatalog());
    $('view-name').addEventListener('change', () => refreshView());
    $('sql').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        editor.run();
      }
    });
    // A closed tab stops its query now; the server also stops it once it is not read for a while.
    window.addEventListener('pagehide', () => {
      if (editor.cursor) {
        editor.closeCursor(editor.cursor.id, true);
      }
    });
    boot();
  }

  start();
}());
