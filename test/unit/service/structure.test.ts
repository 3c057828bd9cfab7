import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Range } from 'vscode-languageserver-types';
import { doDocumentSymbols, doFoldingRanges, doInlayHints } from '../../../src/service/features';
import { contextOf, HEAD } from './cursor';

const TEXT = `# Contoso HR
${HEAD}source:
  sample: people.csv
  key: WorkerID
extensions:
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:
    HireDate: dateTime
let:
  domain: '"contoso.com"'
  ascii: |-
    function($s) {
      $lowercase($s)
    }
mappings:
  externalId: WorkerID
  userName: $ascii(FirstName) & "@" & $domain
  active: true
  displayName: >-
    FirstName
    & " " & LastName
  emails[type eq "work"].value: Email
`;

describe('inlay hints', () => {
  const all = Range.create(0, 0, 100, 0);
  it('shows each value of the selected record after the mapping, truncated, and errors', () => {
    const ctx = contextOf(TEXT);
    ctx.record = {
      index: 0, key: 'W100',
      values: { externalId: 'W100', userName: 'ana.silva@contoso.com', active: true, displayName: 'A very long display name that goes on and on and on' },
      errors: { 'emails[type eq "work"].value': 'expected a string but the value is the number 3' },
    };
    const hints = doInlayHints(ctx, all);
    const labels = hints.map((h) => h.label);
    assert.deepEqual(labels.slice(0, 3), ['→ "W100"', '→ "ana.silva@contoso.com"', '→ true']);
    assert.equal((labels[3] as string).length, 42);
    assert.ok((labels[3] as string).endsWith('…'));
    assert.equal(labels[4], '⚠ expected a string but the value is the number 3');
    const lines = TEXT.split('\n');
    const userName = hints[1];
    assert.equal(lines[userName.position.line].length, userName.position.character, 'placed at the end of the value');
    assert.equal(hints[3].position.line, lines.findIndex((l) => l.includes('& " " & LastName')), 'after a multi-line value');
    assert.match(String(userName.tooltip), /record 1 \(W100\)/);
  });

  it('shows nothing without a record, and only hints in the range', () => {
    assert.deepEqual(doInlayHints(contextOf(TEXT), all), []);
    const ctx = contextOf(TEXT);
    ctx.record = { index: 0, values: { externalId: 'W100', active: true }, errors: {} };
    const line = TEXT.split('\n').findIndex((l) => l.includes('active: true'));
    assert.deepEqual(doInlayHints(ctx, Range.create(line, 0, line + 1, 0)).map((h) => h.label), ['→ true']);
  });
});

describe('document symbols', () => {
  it('lists sections, source settings, extensions, let bindings and mappings with their targets', () => {
    const symbols = doDocumentSymbols(contextOf(TEXT));
    assert.deepEqual(symbols.map((s) => s.name), ['scimmap', 'target', 'source', 'extensions', 'let', 'mappings']);
    const by = (n: string) => symbols.find((s) => s.name === n)!;
    assert.deepEqual(by('source').children!.map((c) => c.name), ['sample', 'key']);
    assert.deepEqual(by('extensions').children![0].children!.map((c) => c.name), ['HireDate']);
    assert.deepEqual(by('let').children!.map((c) => c.name), ['$domain', '$ascii']);
    const mappings = by('mappings').children!;
    assert.deepEqual(mappings.map((c) => c.name), ['externalId', 'userName', 'active', 'displayName', 'emails[type eq "work"].value']);
    assert.match(mappings[4].detail!, /emails\[type eq "work"\]\.value: string ← Email/);
    assert.equal(by('mappings').range.end.line, TEXT.split('\n').length - 2);
  });

  it('outlines a broken document', () => {
    const symbols = doDocumentSymbols(contextOf(`${HEAD}mappings:\n  externalId: [\n  title: x\n`));
    assert.ok(symbols.some((s) => s.name === 'mappings'));
  });
});

describe('folding', () => {
  it('folds sections, nested blocks, block scalars, multi-line values and comments', () => {
    const text = `# one\n# two\n${TEXT}`;
    const ranges = doFoldingRanges(contextOf(text));
    const lines = text.split('\n');
    const line = (s: string) => lines.findIndex((l) => l.startsWith(s));
    const has = (start: number, end: number, kind?: string) => ranges.some((r) => r.startLine === start && r.endLine === end && r.kind === kind);
    assert.ok(has(0, 2, 'comment'));
    assert.ok(has(line('source:'), line('  key:')));
    assert.ok(has(line('  ascii:'), line('    }')));
    assert.ok(has(line('  displayName:'), line('    & " "')));
    assert.ok(has(line('  urn:'), line('    HireDate')));
    assert.ok(has(line('mappings:'), lines.length - 2));
  });
});
