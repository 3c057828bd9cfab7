/**
 * 200,000-character values through every code path that runs a regular expression or a scan on user text
 * (SECURITY.md, "Regular expressions on untrusted text"). Each step gets a generous 2 s of CPU time (not wall
 * time, so a loaded machine does not fail it): a linear scan takes milliseconds, the quadratic regexes these
 * replaced took 10 s and more on the same input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { validateMapping } from '../../../src/engine/validate';
import { positionSource, toLspDiagnostic } from '../../../src/engine/positions';
import { inferFields } from '../../../src/engine/readers';
import { depthOverflowAt } from '../../../src/engine/readers/json';
import { pathFormRefusal } from '../../../src/engine/files/boundedReader';
import { parseFilter } from '../../../src/engine/scim/filter';
import { parseTargetPath } from '../../../src/engine/scim/path';
import { isSchemaUrn, schemaFromJson } from '../../../src/engine/scim/schemaJson';
import { checkScalar } from '../../../src/engine/transform/values';
import { parseEndpoint, stripPastedQuotes } from '../../../src/targets/entra/upload/endpoint';
import { parseFilter as parseStandInFilter } from '../../../src/targets/entra/standin/filter';
import { redact, redactJwts } from '../../../src/delivery/redact';
import { seededRandom } from '../../../src/targets/entra/standin/rng';
import {
  doCodeActions, doComplete, doDefinition, doDocumentLinks, doDocumentSymbols, doFoldingRanges, doHover, doInlayHints, doSignatureHelp,
} from '../../../src/service/features';
import { filterStartsWith, functionParamLists, splitElementTail } from '../../../src/service/features/completionScan';
import { idLikeName } from '../../../src/engine/sample/guess';
import { importCsv2Scim } from '../../../src/migrate/csv2scim/importer';
import { escapeMarkdown, codeSpan, codeBlock } from '../../../src/service/features/markdown';
import { contextOf } from '../service/cursor';
import type { FileHost } from '../../../src/engine/analysis/host';

const N = 200_000;
const BUDGET_MS = 2000;
const host: FileHost = { readText: () => undefined, exists: () => true };

/** Hostile shapes: long runs of what the old regexes backtracked on, each ending in a character that fails them. */
const SHAPES: Record<string, string> = {
  spaces: ' '.repeat(N) + 'x',
  tabs: '\t '.repeat(N / 2) + 'x',
  quotes: '"'.repeat(N) + 'x',
  singleQuotes: "'".repeat(N) + 'x',
  brackets: '['.repeat(N),
  elementTails: '[a]'.repeat(N / 3) + '.',
  functions: 'function('.repeat(Math.floor(N / 9)),
  variables: '$a '.repeat(N / 3) + '!',
  dots: '.a'.repeat(N / 2) + '!',
  backticks: '`'.repeat(N),
  colons: ': '.repeat(N / 2) + '#',
  idWords: 'emp'.repeat(N / 3) + 'x',
  jwtish: '-eyJaaaaaa'.repeat(N / 10),
  eqFilters: '[a eq "'.repeat(Math.floor(N / 7)),
  urn: 'urn:' + 'a:'.repeat(N / 2),
  slashes: '\\/'.repeat(N / 2),
};

/** CPU time of this process, in ms: unlike the wall clock it does not grow when other processes load the machine. */
function cpuMs(since?: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

function timed<T>(label: string, f: () => T): T {
  const started = process.cpuUsage();
  const r = f();
  const ms = cpuMs(started);
  assert.ok(ms < BUDGET_MS, `${label} took ${ms} ms of CPU`);
  return r;
}

async function timedAsync<T>(label: string, f: () => Promise<T>): Promise<T> {
  const started = process.cpuUsage();
  const r = await f();
  const ms = cpuMs(started);
  assert.ok(ms < BUDGET_MS, `${label} took ${ms} ms of CPU`);
  return r;
}

const q = (s: string) => JSON.stringify(s); // a YAML double-quoted scalar

/** Mapping texts that put the long value where user text goes: a constant, an expression, a key, a let, a comment. */
function mappings(v: string): Record<string, string> {
  return {
    constant: `scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n  title: ${q(v)}\n`,
    expression: `scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n  displayName: ${q('first & ' + v)}\n`,
    plainTail: `scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n  title: first${v.replace(/[\n\r]/g, '')}\n`,
    key: `scimmap: 1\ntarget: entra\nmappings:\n  externalId: id\n  active: true\n  ${q('emails' + v)}: first\n`,
    let: `scimmap: 1\ntarget: entra\nlet:\n  x: ${q(v)}\nmappings:\n  externalId: id\n  active: true\n  title: $x\n`,
    sample: `scimmap: 1\ntarget: entra\nsource:\n  sample: ${q(v.slice(0, 1000))}\nmappings:\n  externalId: id\n  active: true\n`,
  };
}

const RECORDS = (v: string): Record<string, unknown>[] => [
  { id: '1', first: v, status: 'Active', [v.slice(0, 50_000)]: v },
  { id: '2', first: 'Bo', status: v, nested: { [v.slice(0, 1000)]: v } },
];

describe('200,000-character values: every user-text path stays linear', () => {
  for (const [shape, v] of Object.entries(SHAPES)) {
    it(`${shape}: engine scans and parsers`, () => {
      timed('pathFormRefusal', () => pathFormRefusal(v));
      timed('depthOverflowAt', () => depthOverflowAt(v, 64));
      timed('stripPastedQuotes', () => stripPastedQuotes(v));
      timed('parseEndpoint', () => assert.throws(() => parseEndpoint(v)));
      timed('parseEndpoint (quoted URL)', () => {
        try { parseEndpoint(`${v}https://graph.microsoft.com/v1.0/servicePrincipals/x/synchronization/jobs/y/bulkUpload${v}`); } catch { /* refused: fine */ }
      });
      timed('splitElementTail', () => splitElementTail(v));
      timed('filterStartsWith', () => filterStartsWith(v, 'type'));
      timed('functionParamLists', () => functionParamLists(v));
      timed('idLikeName', () => idLikeName(v));
      timed('scim filter', () => parseFilter(v));
      timed('target path', () => parseTargetPath(v));
      timed('schema urn', () => isSchemaUrn(v));
      timed('schema file', () => schemaFromJson({ id: `urn:x:${v}`, attributes: [{ name: v, type: 'string', description: v }] }));
      timed('value checks', () => { checkScalar(v, 'dateTime'); checkScalar(v, 'decimal'); checkScalar(v, 'reference'); });
      timed('stand-in filter', () => { try { parseStandInFilter(v); } catch { /* a syntax error: fine */ } });
      timed('redact', () => redact(v));
      timed('markdown', () => { escapeMarkdown(v); codeSpan(v); codeBlock(v, 'jsonata'); });
      timed('csv2scim import', () => {
        for (const psd1 of [`@{\n  externalId = '${v.replace(/'/g, "''")}'\n}`, `@{\n  externalId = { ${v} }\n}`, `@{\n  ${v} = 'x'\n}`, `@{ a = ${v}`]) {
          importCsv2Scim(psd1, { psd1Name: 'x.psd1', columns: ['WorkerID', v.slice(0, 1000)] });
        }
      });
      timed('infer fields', () => inferFields(RECORDS(v).map((value, index) => ({ index, value }))));
    });

    it(`${shape}: validation and every editor feature`, async () => {
      for (const [where, text] of Object.entries(mappings(v))) {
        const label = `${shape}/${where}`;
        const r = await timedAsync(`${label} validate`, () => validateMapping(text, {
          filePath: '/virtual/hr/long.scimmap.yaml', host,
          getSample: async (path) => {
            const records = RECORDS(v);
            return { path, version: '1', records, keys: records.map(() => undefined), truncated: false, warnings: [], fields: inferFields(records.map((value, index) => ({ index, value }))) };
          },
        }));
        const pos = positionSource(text);
        const diagnostics: Diagnostic[] = r.diagnostics.map((d) => toLspDiagnostic(pos, d));
        const ctx = timed(`${label} analyze`, () => contextOf(text, { sample: RECORDS(v), host, filePath: '/virtual/hr/long.scimmap.yaml' }));
        const lines = text.split('\n');
        const whole: Range = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
        const long = lines.reduce((best, l, i) => (l.length > lines[best].length ? i : best), 0);
        for (const line of [long - 1, long, long + 1].filter((l) => l >= 0 && l < lines.length)) {
          for (const character of [4, Math.floor(lines[line].length / 2), lines[line].length]) {
            const p = { line, character };
            timed(`${label} completion ${line}:${character}`, () => doComplete(ctx, p));
            timed(`${label} hover ${line}:${character}`, () => doHover(ctx, p));
            timed(`${label} signature ${line}:${character}`, () => doSignatureHelp(ctx, p));
            timed(`${label} definition ${line}:${character}`, () => doDefinition(ctx, p));
          }
        }
        timed(`${label} code actions`, () => doCodeActions(ctx, whole, diagnostics));
        timed(`${label} inlay hints`, () => doInlayHints(ctx, whole));
        timed(`${label} symbols`, () => doDocumentSymbols(ctx));
        timed(`${label} folding`, () => doFoldingRanges(ctx));
        timed(`${label} links`, () => doDocumentLinks(ctx));
      }
    });
  }
});

describe('a CSV2SCIM attribute mapping with 20,000 entries imports in linear time', () => {
  it('plain values and script blocks', () => {
    const plain = `@{\n${Array.from({ length: 20_000 }, (_, i) => `  zz${i} = 'a'`).join('\n')}\n}`;
    const blocks = `@{\n${Array.from({ length: 20_000 }, (_, i) => `  k${i} = { $_.x -eq ${i} }`).join('\n')}\n}`;
    timed('20,000 values', () => importCsv2Scim(plain, { psd1Name: 'x.psd1' }));
    timed('20,000 script blocks', () => importCsv2Scim(blocks, { psd1Name: 'x.psd1' }));
    const findings = `@{\n${Array.from({ length: 20_000 }, (_, i) => `  k${i} = { Get-Date | x }`).join('\n')}\n}`;
    const r = timed('20,000 findings with line numbers', () => importCsv2Scim(findings, { psd1Name: 'x.psd1' }));
    assert.equal(r.diagnostics.length, 20_000);
    assert.equal(r.diagnostics[19_999].line, 20_001);
  });
  it('a script block nested 5,000 deep is a TODO with a diagnostic, not a stack overflow', () => {
    const r = importCsv2Scim(`@{\n  externalId = { ${'('.repeat(5000)}1${')'.repeat(5000)} }\n}`, { psd1Name: 'x.psd1' });
    assert.match(r.diagnostics.map((d) => d.message).join('\n'), /externalId: nested deeper than 100 levels/);
  });
});

describe('the linear scans mean what the regexes meant', () => {
  it('splitElementTail', () => {
    assert.deepEqual(splitElementTail('emails[type eq "work"].va'), ['emails', '[type eq "work"]', 'va']);
    assert.deepEqual(splitElementTail('emails[type eq "work"].'), ['emails', '[type eq "work"]', '']);
    assert.deepEqual(splitElementTail('a[x][type eq "w"].v'), ['a[x]', '[type eq "w"]', 'v']);
    assert.equal(splitElementTail('emails.value'), undefined);
    assert.equal(splitElementTail('emails[type eq "work"]'), undefined);
    assert.equal(splitElementTail('emails[type eq "work".va'), undefined);
  });
  it('redactJwts replaces exactly what the JWT regex replaced (differential, 20,000 random strings)', () => {
    const re = /\beyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\.?[A-Za-z0-9_-]*/g;
    const parts = ['e', 'y', 'J', 'eyJ', 'a', 'b', '-', '_', '.', 'x', ' ', '=', '"', 'eyJabcdef', '0', 'é'];
    const r = seededRandom(7);
    for (let i = 0; i < 20_000; i++) {
      let s = '';
      for (let k = Math.floor(r() * 30); k > 0; k--) s += parts[Math.floor(r() * parts.length)];
      assert.equal(redactJwts(s), s.replace(re, '[REDACTED]'), JSON.stringify(s));
    }
  });

  it('filterStartsWith, functionParamLists, idLikeName, stripPastedQuotes', () => {
    assert.equal(filterStartsWith('[type eq "work"]', 'TYPE'), true);
    assert.equal(filterStartsWith('[  type eq "work"]', 'type'), true);
    assert.equal(filterStartsWith('[types eq "work"]', 'type'), false);
    assert.deepEqual(functionParamLists('function($a, $b) { $a } ~> function ($c){1} function('), ['$a, $b', '$c']);
    for (const yes of ['employeeid', 'empno', 'workernumber', 'personnelnr', 'useridid', 'staffnum']) assert.equal(idLikeName(yes), true, yes);
    for (const no of ['id', 'employee', 'idemployee', 'empid2', 'managerid']) assert.equal(idLikeName(no), false, no);
    assert.equal(stripPastedQuotes(`  "'<https://x/y>'"  `), 'https://x/y');
    assert.equal(stripPastedQuotes('"""'), '');
  });
});
