/**
 * The fast evaluation path must agree with jsonata exactly: same value (deepStrictEqual) and, where jsonata throws,
 * the fast path must not answer (it falls back, and jsonata throws the same error). Checked on every expression of
 * every sample mapping on every sample record, on hand-picked edge cases, and on thousands of generated
 * expressions × generated records.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import jsonata from 'jsonata';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { nodeFileHost } from '../../../src/engine/analysis/host';
import { compileForEvaluation, ExprNode } from '../../../src/engine/jsonata/compile';
import { BAIL, compileEvaluator, compileFast } from '../../../src/engine/jsonata/fast';
import { loadSample } from '../../../src/engine/sample/load';
import { compileMapping } from '../../../src/engine/transform/compile';
import { transformRecord } from '../../../src/engine/transform/record';
import { seededRandom } from '../../../src/targets/entra/standin/rng';

const ROOT = path.resolve(__dirname, '../../../..');

type Outcome = { threw: false; value: unknown } | { threw: true; code: unknown };

async function reference(expr: jsonata.Expression, input: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    return { threw: false, value: await expr.evaluate(input, bindings) };
  } catch (e) {
    return { threw: true, code: (e as { code?: unknown }).code };
  }
}

interface Tally {
  checked: number;
  fast: number;
}

/** One comparison: the raw fast closure (when it answers) and the combined evaluator against jsonata. */
const compiled = new Map<string, { expr: jsonata.Expression; fn: ReturnType<typeof compileFast>; ev: ReturnType<typeof compileEvaluator> }>();

async function agree(text: string, input: unknown, bindings: Record<string, unknown>, tally: Tally): Promise<void> {
  let c = compiled.get(text);
  if (!c) {
    // Reference and fast path from separate compilations, so neither can influence the other.
    const expr = compileForEvaluation(text);
    compiled.set(text, (c = { expr, fn: compileFast(compileForEvaluation(text).ast() as ExprNode), ev: compileEvaluator(text) }));
  }
  const { expr, fn, ev } = c;
  const want = await reference(expr, input, bindings);
  tally.checked++;
  const show = (v: unknown) => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && (x as { _jsonata_lambda?: boolean })._jsonata_lambda ? '<lambda>' : x));
  const where = () => `${text}\n  on ${show(input)}\n  with ${show(bindings)}`;
  if (fn) {
    const got = fn(input, bindings);
    if (got !== BAIL) {
      tally.fast++;
      if (want.threw) assert.fail(`fast path answered ${show(got)} where jsonata throws ${String(want.code)}: ${where()}`);
      try {
        assert.deepStrictEqual(got, want.value);
      } catch (e) {
        assert.fail(`${(e as Error).message}\n${where()}`);
      }
    }
  }
  let combined: Outcome;
  try {
    combined = { threw: false, value: await ev.evaluate(input, bindings) };
  } catch (e) {
    combined = { threw: true, code: (e as { code?: unknown }).code };
  }
  // A let that defines a function yields a new lambda object per evaluation: compare that it is one.
  const lambda = (o: Outcome) => !o.threw && (o.value as { _jsonata_lambda?: boolean } | undefined)?._jsonata_lambda === true;
  if (lambda(want)) {
    if (!lambda(combined)) assert.fail(`expected a lambda: ${where()}`);
  } else {
    try {
      assert.deepStrictEqual(combined, want);
    } catch (e) {
      assert.fail(`${(e as Error).message}\n${where()}`);
    }
  }
}

test('every expression of every sample mapping agrees with jsonata on every sample record', async (t) => {
  const dirs = fs.readdirSync(path.join(ROOT, 'samples')).filter((d) => fs.statSync(path.join(ROOT, 'samples', d)).isDirectory());
  let expressions = 0;
  let fastExpressions = 0;
  const tally: Tally = { checked: 0, fast: 0 };
  for (const d of dirs) {
    for (const f of fs.readdirSync(path.join(ROOT, 'samples', d)).filter((x) => x.endsWith('.scimmap.yaml'))) {
      const file = path.join(ROOT, 'samples', d, f);
      const analysis = analyzeMappingText(fs.readFileSync(file, 'utf8'), { filePath: file, host: nodeFileHost });
      const sample = await loadSample(analysis.samplePath!, { format: analysis.doc.source?.format?.value, delimiter: analysis.doc.source?.delimiter?.value });
      assert.ok(sample.records.length > 0, `${f}: sample has records`);
      const lets = analysis.lets.map((l) => ({ name: l.binding.name.value, text: l.expression.source.text }));
      const targets = analysis.mappings.flatMap((m) => (m.entry.value.kind === 'expression' ? [m.entry.value.expression.text] : []));
      for (const text of [...lets.map((l) => l.text), ...targets]) {
        expressions++;
        if (compileEvaluator(text).fast) fastExpressions++;
      }
      for (const rec of sample.records) {
        // Bindings as the transform builds them: each let sees the ones before it.
        const bindings: Record<string, unknown> = {};
        for (const l of lets) {
          await agree(l.text, rec, { ...bindings }, tally);
          try {
            bindings[l.name] = await compileForEvaluation(l.text).evaluate(rec, { ...bindings });
          } catch {
            bindings[l.name] = undefined;
          }
        }
        for (const text of targets) await agree(text, rec, bindings, tally);
      }
    }
  }
  t.diagnostic(`sample expressions on the fast path: ${fastExpressions}/${expressions} (${((100 * fastExpressions) / expressions).toFixed(0)}%); evaluations answered fast: ${tally.fast}/${tally.checked}`);
  assert.ok(fastExpressions > 0);
});

test('hand-picked edge cases agree with jsonata', async () => {
  const rec = {
    s: 'Héllo Wörld', e: '', ws: '  a \t\n b  ', n: 42, f: 1.5, z: 0, nz: -0, t: true, no: false, nil: null,
    arr: ['x', 'y'], one: ['x'], empty: [], obj: { a: 1 }, eo: {}, u: '👍ab😀', num: '12', exp: '1e3', hex: '0x1F', big: '1e400',
    'x y': { 'a b': 'spaced' }, nested: { deep: { v: 'd', n: 7, arr: [1] } }, lam: { _jsonata_lambda: true }, __proto__x: 'p',
  };
  const exprs = [
    's', 'missing', 'nested.deep.v', 'nested.deep.missing', 'nested.deep.arr', 'arr', 'one', 'empty', 'obj', 'eo', '`x y`.`a b`', 'lam', 'lam.x',
    's.x', 'nil', 'nil.x', 'n.x', 'arr.x', '"lit"', '12', '-3', '-n', '-s', '-missing', 'true', 'false', 'null',
    's & "!"', 'n & ""', 'f & ""', 'z & ""', 'nz & ""', 't & no', 'nil & "x"', 'missing & "x"', 'missing & missing', 'obj & ""', 'arr & ""',
    's = "Héllo Wörld"', 'n = 42', 'n = "42"', 'missing = missing', 'missing != 1', 'nil = null', 'obj = obj', 'arr = arr', 'n != 41',
    'n > 41', 'n < "a"', 's < "I"', 's >= s', 'missing < 1', 'obj < 1', 't < 1', 'nil > 1', '"a" < "B"', '"é" > "z"',
    'n and s', 'z or e', 'missing or t', 'obj and t', 'arr or no', 'no and $error("x")', 't or $error("x")',
    's ? 1 : 2', 'e ? 1 : 2', 'missing ? 1', 'obj ? 1 : 2', 'empty ? 1 : 2', 'nil ? 1 : 2', 'z ? 1 : 2', 'f ? "f"',
    '$lowercase(s)', '$uppercase(u)', '$lowercase(missing)', '$lowercase(n)', '$lowercase(arr)', '$lowercase(one)', '$lowercase()',
    '$trim(ws)', '$trim(e)', '$trim("   ")', '$length(u)', '$length(n)', '$substring(u, 1)', '$substring(u, -3, 2)', '$substring(s, 1.7, 2.2)',
    '$substring(s, -100)', '$substring(s, 2, 0)', '$substring(s, 2, -1)', '$substring(s, "1")', '$substring(s, missing)', '$substring(missing, 1)',
    '$substringBefore(s, "l")', '$substringBefore(s, "q")', '$substringAfter(s, "l")', '$substringAfter(s, "")', '$substringBefore(s, 1)',
    '$string(s)', '$string(n)', '$string(f)', '$string(t)', '$string(nil)', '$string(obj)', '$string(missing)', '$string(arr)', '$string(nz)',
    '$number(num)', '$number(exp)', '$number(hex)', '$number(big)', '$number(s)', '$number(t)', '$number(nil)', '$number(missing)', '$number("-0")', '$number(" 1")',
    '$boolean(s)', '$boolean(e)', '$boolean(obj)', '$boolean(eo)', '$boolean(arr)', '$boolean(missing)', '$boolean(nz)',
    '$not(s)', '$not(missing)', '$not(z)', '$exists(s)', '$exists(missing)', '$exists(nil)', '$exists(obj)', '$exists(arr)',
    '$join(s)', '$join(s, ",")', '$join(arr, ",")', '$join(missing)', '$join(s, 1)',
    '$replace(s, "l", "L")', '$replace(s, "l", "$0")', '$replace(s, "l", "L", 1)', '$replace(s, "l", "L", 0)', '$replace(s, "", "x")', '$replace(s, "l", "L", -1)', '$replace(missing, "l", "L")', '$replace(s, /l/, "L")',
    '$contains(s, "llo")', '$contains(s, "q")', '$contains(missing, "x")', '$contains(s, missing)', '$contains(s, /l/)',
    '$v', '$w', '$o', '$fn', '$unbound', '$lowercase', '$v & $w', '$lowercase($v)', '$string($o)', '$lowercase(s)',
    '($x := s; $x & "!")', '($x := s; ($x := "inner"; $x) & $x)', '($v := "shadow"; $v)', '($lowercase := 1; $lowercase(s))', '()', '(s)', '($x := missing; $x)',
    '$x := 1', 's ? ($y := 2) : 3', 'n + 1', 'arr[0]', 's in ["a"]', '$count(arr)', '$', '$$.s', 's.$lowercase($)', '[s]', '{"a": s}', 'nested.deep.(v)',
  ];
  const tally: Tally = { checked: 0, fast: 0 };
  for (const bindings of [{}, { v: 'Vé', w: 3, o: { k: 1 }, fn: ['a'] }, { v: undefined, lowercase: 'shadow' }]) {
    for (const e of exprs) await agree(e, rec, bindings, tally);
  }
  assert.ok(tally.fast > 150, `fast answered ${tally.fast}/${tally.checked}`);
});

function prng(seed: number) {
  const next = seededRandom(seed);
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(arr: readonly T[]): T => arr[Math.floor(next() * arr.length)] };
}

const FIELDS = ['a', 'b', 'c', '`x y`', 'n.a', 'n.b', 'n.m.c', 'missing', 'n.missing'];
const STRINGS = ['', ' ', 'abc', 'ABC', 'Émile', 'straße', 'İstanbul', '👍x', ' pad ', 'a_b', 'a-b-c', '12', '-3.5', '1e2', '0x10', 'true', 'null', 'Active', 'ǅ', '\t\n'];
const NUMBERS = [0, -0, 1, -1, 42, 3.14, 0.1, 1e21, 123456789012, -2.5];

function genValue(r: ReturnType<typeof prng>, depth: number): unknown {
  const k = r.int(0, 11);
  if (k <= 3) return r.pick(STRINGS);
  if (k <= 5) return r.pick(NUMBERS);
  if (k === 6) return r.next() < 0.5;
  if (k === 7) return null;
  if (k === 8) return r.pick([[], ['x'], ['x', 'y'], [1, 2], [null], [['n']]]);
  if (k === 9 && depth < 2) return genRecord(r, depth + 1);
  if (k === 10) return {};
  return r.pick(STRINGS);
}

function genRecord(r: ReturnType<typeof prng>, depth = 0): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (const k of ['a', 'b', 'c', 'x y', 'n', 'm']) {
    if (r.next() < 0.2) continue; // missing
    rec[k] = k === 'n' && r.next() < 0.7 ? genRecord(r, depth + 1) : genValue(r, depth);
  }
  return rec;
}

function genExpr(r: ReturnType<typeof prng>, depth: number): string {
  if (depth > 3 || r.next() < 0.3) {
    const k = r.int(0, 9);
    if (k <= 4) return r.pick(FIELDS);
    if (k === 5) return JSON.stringify(r.pick(STRINGS));
    if (k === 6) return String(r.pick([0, 1, 2, 42, 3.5, -1]));
    if (k === 7) return r.pick(['true', 'false', 'null']);
    if (k === 8) return r.pick(['$v', '$w', '$o']);
    return r.pick(FIELDS);
  }
  const sub = () => genExpr(r, depth + 1);
  switch (r.int(0, 13)) {
    case 0:
    case 1:
      return `${sub()} & ${sub()}`;
    case 2:
      return `${sub()} ${r.pick(['=', '!=', '<', '<=', '>', '>='])} ${sub()}`;
    case 3:
      return `${sub()} ${r.pick(['and', 'or'])} ${sub()}`;
    case 4:
      return r.next() < 0.5 ? `(${sub()} ? ${sub()} : ${sub()})` : `(${sub()} ? ${sub()})`;
    case 5:
      return `$${r.pick(['lowercase', 'uppercase', 'trim', 'length', 'string', 'number', 'boolean', 'not', 'exists', 'join'])}(${sub()})`;
    case 6:
      return `$substring(${sub()}, ${r.pick(['0', '1', '-2', '2.5', sub()])}${r.next() < 0.5 ? `, ${r.pick(['0', '2', '-1', sub()])}` : ''})`;
    case 7:
      return `$${r.pick(['substringBefore', 'substringAfter', 'contains'])}(${sub()}, ${r.pick(['"b"', '"_"', '""', '"é"', sub()])})`;
    case 8:
      return `$replace(${sub()}, ${r.pick(['"a"', '"-"', '""', sub()])}, ${r.pick(['"X"', '""', '"$0"', sub()])}${r.next() < 0.3 ? `, ${r.pick(['0', '1', '2', '-1'])}` : ''})`;
    case 9:
      return `($t := ${sub()}; ${r.next() < 0.5 ? '$t & ' : ''}${sub()})`;
    case 10:
      return `-${sub()}`;
    case 11:
      return `$join(${sub()}, ${r.pick(['","', '" "', sub()])})`;
    case 12:
      // Outside the subset: must fall back, and the fallback must still agree.
      return r.pick([`${sub()} + 1`, `[${sub()}, ${sub()}]`, `${r.pick(FIELDS)}[0]`, `$count(${sub()})`, `${sub()} in ["abc", 1]`, `$string(${sub()}, true)`]);
    default:
      return `(${sub()})`;
  }
}

test('generated expressions × generated records agree with jsonata', async (t) => {
  const r = prng(20240601);
  const tally: Tally = { checked: 0, fast: 0 };
  for (let i = 0; i < 2500; i++) {
    const text = genExpr(r, 0);
    // Each expression on several records and binding sets (missing fields, nulls, arrays, numbers, unicode).
    for (let k = 0; k < 4; k++) {
      const bindings: Record<string, unknown> = r.next() < 0.8 ? { v: genValue(r, 1), w: genValue(r, 1), o: genRecord(r, 1) } : { lowercase: 'x', v: undefined };
      await agree(text, genRecord(r), bindings, tally);
    }
  }
  t.diagnostic(`generated evaluations answered by the fast path: ${tally.fast}/${tally.checked}`);
  assert.ok(tally.fast > tally.checked / 5, `fast answered ${tally.fast}/${tally.checked}`);
});

test('a compiled mapping evaluates fast targets synchronously and keeps jsonata for the rest', async () => {
  const text = `scimmap: 1\ntarget: entra\nlet:\n  domain: '"contoso.com"'\n  up: 'function($s) { $uppercase($s) }'\nmappings:\n  externalId: id\n  userName: $lowercase(first) & "@" & $domain\n  displayName: $up(first)\n`;
  const analysis = analyzeMappingText(text, { host: { readText: () => undefined, exists: () => false } });
  const m = compileMapping(analysis);
  assert.deepEqual(m.targets.map((x) => [x.key, x.fast]), [['externalId', true], ['userName', true], ['displayName', false]]);
  const direct = m.targets[0].evaluate({ id: 'E1' }, {});
  assert.equal(direct, 'E1'); // not a promise
  const r = await transformRecord(m, { id: 'E1', first: 'Zoë' }, 0);
  // Evaluated right, and then refused: "ë" is not allowed in an Entra sign-in name.
  assert.deepEqual(r.errors.map((e) => e.code), ['user-name-format']);
  assert.equal(r.resource.userName, 'zoë@contoso.com');
  assert.equal(r.resource.displayName, 'ZOË');
});
