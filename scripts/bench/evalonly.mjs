// Context for figure 1, in one process on records already in memory: what evaluating the 25 expressions costs per
// record with bare jsonata, with jsonata under the limits the engine sets (timeout/stack/sequence), with the engine's
// own evaluation (fast path where it applies, jsonata otherwise), and hand-written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKDAY_LETS, WORKDAY_MAPPINGS, writeWorkersJsonl } from './gen.mjs';
import { handWritten } from './handwritten.mjs';
import { loadTs, require, summary } from './util.mjs';

async function time(records, runs, fn) {
  const us = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    for (const rec of records) {
      const x = fn(rec);
      if (x instanceof Promise) await x;
    }
    us.push(((performance.now() - t) * 1000) / records.length);
  }
  return summary(us);
}

export async function evaluationOnly({ tmp, records, runs, log }) {
  const file = join(tmp, 'eval.jsonl');
  await writeWorkersJsonl(file, records, 99);
  const recs = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const jsonata = require('jsonata');
  const { compileForEvaluation } = await loadTs('src/engine/jsonata/compile.ts', join(tmp, 'build'));
  const viaJsonata = (compile) => {
    const lets = WORKDAY_LETS.map(([k, v]) => [k, compile(v)]);
    const exprs = WORKDAY_MAPPINGS.map(([k, v]) => [k, compile(v)]);
    return async (rec) => {
      const b = {};
      for (const [k, e] of lets) b[k] = await e.evaluate(rec, b);
      const out = {};
      for (const [k, e] of exprs) out[k] = await e.evaluate(rec, b);
      return out;
    };
  };
  const variants = {
    jsonata: viaJsonata((t) => jsonata(t)),
    jsonataWithLimits: viaJsonata((t) => compileForEvaluation(t)),
    handWritten,
  };
  let fastShare;
  try {
    const fast = await loadTs('src/engine/jsonata/fast.ts', join(tmp, 'build'));
    const compile = (t) => fast.compileEvaluator(t);
    const lets = WORKDAY_LETS.map(([k, v]) => [k, compile(v)]);
    const exprs = WORKDAY_MAPPINGS.map(([k, v]) => [k, compile(v)]);
    fastShare = exprs.filter(([, e]) => e.fast).length / exprs.length;
    variants.engine = (rec) => {
      const b = {};
      for (const [k, e] of lets) b[k] = e.evaluate(rec, b);
      const out = {};
      let pending;
      for (const [k, e] of exprs) {
        const v = e.evaluate(rec, b);
        if (v instanceof Promise) (pending ??= []).push(v.then((x) => (out[k] = x)));
        else out[k] = v;
      }
      return pending ? Promise.all(pending) : out;
    };
  } catch (e) {
    log(`  (no fast path: ${e.message.split('\n')[0]})`);
  }
  const out = {};
  for (const [name, fn] of Object.entries(variants)) {
    await time(recs.slice(0, 200), 1, fn); // warm-up
    out[name] = await time(recs, runs, fn);
    log(`  ${name}: ${out[name].median.toFixed(2)} µs/record`);
  }
  return { records, expressions: WORKDAY_MAPPINGS.length, microsecondsPerRecord: out, fastShare };
}
