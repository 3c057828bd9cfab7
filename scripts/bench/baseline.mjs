// The throughput baselines, run as their own process exactly like the CLI: read the JSONL file, parse each line,
// map it, JSON.stringify it, write NDJSON to stdout (with back-pressure).
//   node baseline.mjs jsonata FILE   bare jsonata: the same 25 expressions, awaited one by one (interpreter limit)
//   node baseline.mjs js FILE        the same mapping hand-written in JavaScript (physical limit)
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { WORKDAY_LETS, WORKDAY_MAPPINGS } from './gen.mjs';
import { handWritten } from './handwritten.mjs';
import { require } from './util.mjs';

const [mode, file] = process.argv.slice(2);

function jsonataMapper() {
  const jsonata = require('jsonata');
  const lets = WORKDAY_LETS.map(([k, v]) => [k, jsonata(v)]);
  const exprs = WORKDAY_MAPPINGS.map(([k, v]) => [k, jsonata(v)]);
  return async (rec) => {
    const bindings = {};
    for (const [k, e] of lets) bindings[k] = await e.evaluate(rec, bindings);
    const out = {};
    for (const [k, e] of exprs) out[k] = await e.evaluate(rec, bindings);
    return out;
  };
}

const map = mode === 'js' ? handWritten : mode === 'jsonata' ? jsonataMapper() : undefined;
if (!map) {
  process.stderr.write('usage: baseline.mjs js|jsonata FILE\n');
  process.exit(2);
}
let n = 0;
const write = (s) => (process.stdout.write(s) ? undefined : new Promise((r) => process.stdout.once('drain', r)));
for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
  if (line === '') continue;
  const out = map(JSON.parse(line));
  const w = write(`${JSON.stringify(out instanceof Promise ? await out : out)}\n`);
  if (w) await w;
  n++;
}
process.stderr.write(`${n} records\n`);
