// bench/compare with DuckDB (npm @duckdb/node-api, which ships its own engine): read_json
// with the schema of the three fields we need, unnest resourceSpans, scopeSpans and spans,
// then count and quantile_disc per name. DuckDB's quantile_disc is nearest rank (the
// smallest value whose cumulative distribution reaches q); bench/compare/run checks it on
// the data before timing. DuckDB uses every core. Usage: node duckdb.js FILE
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

const file = process.argv[2];
const lines = /\.(jsonl|ndjson)$/.test(file);
// One document must fit in one read_json object; JSON Lines objects are small.
const maxObject = Math.max(16 << 20, fs.statSync(file).size + 1024);
const schema =
  "{resourceSpans: 'STRUCT(scopeSpans STRUCT(spans STRUCT(name VARCHAR, " +
  "startTimeUnixNano VARCHAR, endTimeUnixNano VARCHAR)[])[])[]'}";
const sql = `
  WITH spans AS (
    SELECT unnest(ss.spans) AS sp FROM (
      SELECT unnest(rs.scopeSpans) AS ss FROM (
        SELECT unnest(resourceSpans) AS rs
        FROM read_json('${file.replace(/'/g, "''")}', columns = ${schema},
                       format = '${lines ? 'newline_delimited' : 'auto'}',
                       maximum_object_size = ${maxObject})))),
  d AS (
    SELECT sp.name AS name, sp.startTimeUnixNano::UBIGINT AS s, sp.endTimeUnixNano::UBIGINT AS e
    FROM spans)
  SELECT name, count(*) AS n,
         quantile_disc(CASE WHEN e > s THEN e - s ELSE 0 END, 0.50) AS p50,
         quantile_disc(CASE WHEN e > s THEN e - s ELSE 0 END, 0.95) AS p95,
         quantile_disc(CASE WHEN e > s THEN e - s ELSE 0 END, 0.99) AS p99
  FROM d GROUP BY name ORDER BY name`;

(async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const result = await connection.runAndReadAll(sql);
  const out = [];
  for (const row of result.getRows()) out.push(row.map(String).join('\t') + '\n');
  process.stdout.write(out.join(''));
})().catch((e) => {
  process.stderr.write(`duckdb.js: ${e.message}\n`);
  process.exit(1);
});
