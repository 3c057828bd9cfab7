/**
 * Fuzzes the real language server over stdio with mutated sample mappings: truncations, random insertions
 * and deletions, swapped lines, huge values, deep nesting, hostile unicode, tabs, CRLF and BOMs. After every
 * edit, editor requests at random positions must be answered in time; the server must stay alive, publish
 * diagnostics for the last version of every document, and never log a handler exception.
 *
 * Quick mode (CI): 300 random cases. `npm run fuzz`: SCIMMAP_FUZZ_CASES=10000 random cases, after a sweep that
 * truncates every sample mapping at every offset (another ~11,000 cases). SCIMMAP_FUZZ_SEED replays a run; a failing case is written to a
 * temp file whose path is in the failure message.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, root } from './lspClient';
import { seededRandom } from '../../src/targets/entra/standin/rng';

const CASES = Number(process.env.SCIMMAP_FUZZ_CASES ?? 300);
const SEED = Number(process.env.SCIMMAP_FUZZ_SEED ?? 0x5c1a);
const REQUEST_TIMEOUT_MS = Number(process.env.SCIMMAP_FUZZ_REQUEST_TIMEOUT_MS ?? 10_000);
const DIAGNOSTICS_BUDGET_MS = 30_000;
/** Wait for the last version's diagnostics every this many cases (and at the end). */
const SETTLE_EVERY = 50;

const rand = seededRandom(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

interface Sample {
  uri: string;
  text: string;
}
const samples: Sample[] = fs
  .readdirSync(path.join(root, 'samples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(root, 'samples', d.name)).filter((f) => f.endsWith('.scimmap.yaml')).map((f) => path.join(root, 'samples', d.name, f)))
  .sort()
  .map((f) => ({ uri: pathToFileURL(f).toString(), text: fs.readFileSync(f, 'utf8') }));

/** Pieces that stress the YAML parser, the JSONata lexer/parser and position mapping. */
const FRAGMENTS = [
  ':', ': ', '- ', '-', '|', '>-', '|-\n', '"', "'", '`', '\\', '\\"', '{', '}', '[', ']', '(', ')', '$', '$$', '.', '..', ',', '&', '#', '# ',
  '*', '**', '&a ', '*a', '!!str ', '!tag ', '%YAML 1.2\n', '---\n', '...\n', '?', '? ', '@', '~>', '/', '/*', '*/', '/^(a+)+$/',
  '\n', '\r\n', '\r', '\t', '  ', '    ', '\n  ', '\n    ', '\u0000', '\u00a0', '\ufeff', '\u200b', '\u200f', '\u202e', '\u2028', '\u2029',
  '\ud800', '\udc00', '\udbff\udfff', '😀', '👩‍👩‍👧', 'é', 'e\u0301', 'ß', 'İ', 'ﬀ', 'שלום', 'مرحبا', '中文', '𝔘𝔫𝔦',
  'emails[type eq "work"].value', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:', 'name.givenName', 'mappings:', 'let:',
  'source:', 'sample: ', 'function($x) { $x }', '$lowercase(', '$string(', '$match(', 'true', 'null', '1e999', '-0', '0x1F',
];

function randomText(): string {
  const n = 1 + int(6);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.6) s += pick(FRAGMENTS);
    else if (r < 0.8) s += String.fromCharCode(int(0x80));
    else s += String.fromCharCode(int(0x10000)); // any UTF-16 unit, lone surrogates included
  }
  return s;
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** An offset just after a mapping key's ': ' (so that the value part gets the mutation), else anywhere. */
function valueOffset(text: string): number {
  const spots: number[] = [];
  for (let i = text.indexOf(': '); i >= 0; i = text.indexOf(': ', i + 1)) spots.push(i + 2);
  return spots.length ? pick(spots) : int(text.length + 1);
}

type Mutation = (text: string) => [string, string];
const MUTATIONS: Array<[number, Mutation]> = [
  [4, (t) => {
    const at = int(t.length + 1);
    return [t.slice(0, at), `truncate@${at}`];
  }],
  [8, (t) => {
    const at = int(t.length + 1);
    const s = randomText();
    return [t.slice(0, at) + s + t.slice(at), `insert@${at} ${JSON.stringify(s)}`];
  }],
  [6, (t) => {
    const at = int(t.length + 1);
    const n = 1 + int(rand() < 0.8 ? 8 : 400);
    return [t.slice(0, at) + t.slice(at + n), `delete@${at}+${n}`];
  }],
  [3, (t) => {
    const lines = t.split('\n');
    const a = int(lines.length);
    const b = int(lines.length);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return [lines.join('\n'), `swap lines ${a},${b}`];
  }],
  [2, (t) => {
    const lines = t.split('\n');
    const a = int(lines.length);
    lines.splice(a, 0, lines[a]);
    return [lines.join('\n'), `duplicate line ${a}`];
  }],
  [2, (t) => {
    const at = valueOffset(t);
    const n = pick([10_000, 100_000, 1_000_000]);
    const v = pick(['x'.repeat(n), `"${'a'.repeat(n)}"`, `${'a & '.repeat(n / 4)}b`, '9'.repeat(n), `${'$x.'.repeat(n / 3)}y`]);
    return [t.slice(0, at) + v + t.slice(at), `huge value@${at} (${v.length} chars)`];
  }],
  [2, (t) => {
    const at = valueOffset(t);
    const n = pick([50, 500, 5_000, 50_000]);
    const [open, close] = pick([['(', ')'], ['[', ']'], ['{', '}'], ['{"a":', '}'], ['$f(', ')'], ['- ', '']]);
    const v = open.repeat(n) + (rand() < 0.5 ? 'x' : '') + (rand() < 0.7 ? close.repeat(n) : '');
    return [t.slice(0, at) + v + t.slice(at), `nest@${at} ${JSON.stringify(open)}×${n}`];
  }],
  [1, (t) => {
    const depth = pick([50, 500, 3_000]);
    let v = '';
    for (let i = 0; i < depth; i++) v += `${'  '.repeat(i)}k${i}:\n`;
    return [t.replace('mappings:\n', `mappings:\n${v.replace(/^/gm, '  ')}`), `deep YAML block nesting ×${depth}`];
  }],
  [1, (t) => [t.replace(/\r?\n/g, '\r\n'), 'CRLF']],
  [1, (t) => ['\ufeff' + t, 'BOM']],
  [1, (t) => [t.replace(/^( +)/gm, (m) => (rand() < 0.2 ? '\t'.repeat(m.length / 2) : m)), 'tabs for indentation']],
  [1, (t) => [t.replace(/[A-Za-z]/g, (c) => (rand() < 0.02 ? pick(['\u202e', '\u200f', '\ud83d', '\udca9', 'ﬁ', c + '\u0301']) : c)), 'sprinkled unicode']],
];
const totalWeight = MUTATIONS.reduce((n, [w]) => n + w, 0);

function mutate(text: string): [string, string[]] {
  const steps: string[] = [];
  const n = 1 + int(3);
  for (let i = 0; i < n; i++) {
    let r = rand() * totalWeight;
    const m = MUTATIONS.find(([w]) => (r -= w) < 0)![1];
    const [next, what] = m(text);
    text = next;
    steps.push(what);
  }
  return [text, steps];
}

/** The systematic part of long runs: every prefix of every sample. */
function* truncations(): Generator<[Sample, string, string[]]> {
  for (const s of samples) for (let at = 0; at <= s.text.length; at++) yield [s, s.text.slice(0, at), [`truncate@${at}`]];
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))),
  ]);
}

function positionIn(lines: number[], text: string): { line: number; character: number } {
  if (rand() < 0.05) return { line: int(lines.length + 3), character: int(200) }; // past the end: clients do that while typing
  const line = int(lines.length);
  const end = line + 1 < lines.length ? lines[line + 1] - 1 : text.length;
  return { line, character: int(end - lines[line] + 1) };
}

const client = new LspClient({ SCIMMAP_EVAL_HARD_LIMIT_MS: '4000' });
after(() => client.stop());

const sweep = CASES >= 10_000 ? samples.reduce((n, s) => n + s.text.length + 1, 0) : 0;
const TOTAL = CASES + sweep;

test(`fuzz: ${TOTAL} mutated mappings through the real server (seed ${SEED})`, { timeout: Math.max(120_000, TOTAL * 2_000) }, async () => {
  await client.initialize();
  const versions = new Map<string, number>();
  const texts = new Map<string, string>();
  for (const s of samples) {
    await client.open(s.uri, s.text, 1);
    versions.set(s.uri, 1);
    texts.set(s.uri, s.text);
  }
  const failures: string[] = [];
  const dump = (c: number, uri: string, steps: string[], text: string, problem: string) => {
    const file = path.join(os.tmpdir(), `scimmap-fuzz-${SEED}-${c}.scimmap.yaml`);
    fs.writeFileSync(file, text);
    failures.push(`case ${c} (${path.basename(uri)}: ${steps.join('; ')}): ${problem}\n  text: ${file}`);
  };
  const handlerErrors = () => client.logs.filter((l) => /^(uncaught|unhandled rejection|[a-z ]+ failed:)/.test(l) && !l.startsWith('sample validation failed'));

  /** Every open document must get diagnostics for its last version, with ranges inside the document. */
  const settle = async (c: number) => {
    for (const s of samples) {
      const version = versions.get(s.uri)!;
      const text = texts.get(s.uri)!;
      let diagnostics: Diagnostic[];
      try {
        diagnostics = await client.waitFor(s.uri, (_, p) => p.version === version, DIAGNOSTICS_BUDGET_MS);
      } catch (e) {
        dump(c, s.uri, [`settle v${version}`], text, (e as Error).message.split('\n')[0]);
        continue;
      }
      const lineCount = text.split(/\r\n|\r|\n/).length; // LSP line breaks: a lone CR counts
      for (const d of diagnostics) {
        const { start, end } = d.range;
        if (start.line > end.line || (start.line === end.line && start.character > end.character) || end.line >= lineCount) {
          dump(c, s.uri, [`settle v${version}`], text, `diagnostic ${d.code} has a range outside the document: ${JSON.stringify(d.range)}`);
        }
      }
    }
  };

  const trunc = sweep ? truncations() : undefined;
  const started = Date.now();
  for (let c = 0; c < TOTAL && failures.length < 5; c++) {
    let sample: Sample;
    let text: string;
    let steps: string[];
    const t = trunc?.next();
    if (t && !t.done) [sample, text, steps] = t.value;
    else {
      sample = pick(samples);
      [text, steps] = mutate(sample.text);
    }
    const uri = sample.uri;
    const version = versions.get(uri)! + 1;
    versions.set(uri, version);
    texts.set(uri, text);
    if (rand() < 0.03) {
      // Close and reopen: the server forgets the document's state and must rebuild it.
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await client.open(uri, text, version);
    } else await client.change(uri, version, text);

    const lines = lineStarts(text);
    const doc = { textDocument: { uri } };
    const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
    const requests: Array<[string, unknown]> = [];
    for (let k = 0; k < 3; k++) {
      const position = positionIn(lines, text);
      requests.push(pick<[string, unknown]>([
        ['textDocument/completion', { ...doc, position }],
        ['textDocument/hover', { ...doc, position }],
        ['textDocument/signatureHelp', { ...doc, position }],
        ['textDocument/definition', { ...doc, position }],
        ['textDocument/codeAction', { ...doc, range: { start: position, end: position }, context: { diagnostics: client.diagnostics.get(uri)?.diagnostics ?? [] } }],
      ]));
    }
    requests.push(pick<[string, unknown]>([
      ['textDocument/documentSymbol', doc],
      ['textDocument/foldingRange', doc],
      ['textDocument/inlayHint', { ...doc, range: whole }],
      ['textDocument/documentLink', doc],
      ['textDocument/codeAction', { ...doc, range: whole, context: { diagnostics: client.diagnostics.get(uri)?.diagnostics ?? [] } }],
    ]));
    const answers = await Promise.allSettled(requests.map(([method, params]) => withTimeout(client.connection.sendRequest(method, params), REQUEST_TIMEOUT_MS, method)));
    answers.forEach((a, k) => {
      if (a.status === 'rejected') dump(c, uri, steps, text, `${requests[k][0]} ${JSON.stringify(requests[k][1]).slice(0, 200)}: ${(a.reason as Error).message}`);
    });
    const errors = handlerErrors();
    if (errors.length) {
      dump(c, uri, steps, text, `server logged: ${errors.join('\n')}`);
      client.logs = [];
    }
    if (client.child.exitCode !== null || client.child.signalCode !== null) {
      dump(c, uri, steps, text, `server exited (${client.child.exitCode ?? client.child.signalCode})`);
      break;
    }
    if ((c + 1) % SETTLE_EVERY === 0) await settle(c);
    if (process.env.SCIMMAP_FUZZ_VERBOSE && (c + 1) % 500 === 0) console.log(`fuzz: ${c + 1} cases in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  if (failures.length < 5) await settle(TOTAL);
  assert.equal(client.child.exitCode, null, 'the server is still running');
  assert.equal(client.child.signalCode, null, 'the server is still running');
  assert.deepEqual(failures, [], `seed ${SEED}: replay with SCIMMAP_FUZZ_SEED=${SEED} SCIMMAP_FUZZ_CASES=${CASES}`);
});
