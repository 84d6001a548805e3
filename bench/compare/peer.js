// bench/compare with Node, the way a script is written: read the file, JSON.parse it (each
// line of a JSON Lines file on its own), collect durations per span name, sort, rank.
// Timestamps are decimal strings of up to 20 digits, beyond a double's 53 bits, so they go
// through BigInt. Usage: node peer.js FILE
'use strict';
const fs = require('fs');

const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
const byName = new Map();

function fold(doc) {
  for (const rs of doc.resourceSpans || []) {
    for (const ss of rs.scopeSpans || []) {
      for (const sp of ss.spans || []) {
        const d = BigInt(sp.endTimeUnixNano) - BigInt(sp.startTimeUnixNano);
        let v = byName.get(sp.name);
        if (v === undefined) byName.set(sp.name, (v = []));
        v.push(d > 0n ? Number(d) : 0);
      }
    }
  }
}

if (/\.(jsonl|ndjson)$/.test(file)) {
  for (const line of text.split('\n')) if (line.length > 0) fold(JSON.parse(line));
} else {
  fold(JSON.parse(text));
}

const out = [];
for (const name of [...byName.keys()].sort()) {
  const v = byName.get(name).sort((a, b) => a - b);
  const n = v.length;
  const at = (p) => v[Math.max(1, Math.ceil((p * n) / 100)) - 1];
  out.push(`${name}\t${n}\t${at(50)}\t${at(95)}\t${at(99)}\n`);
}
process.stdout.write(out.join(''));
