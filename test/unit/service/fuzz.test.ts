/** Cheap fuzz: every feature at every offset of broken documents must answer, never throw. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Range } from 'vscode-languageserver-types';
import * as features from '../../../src/service/features';
import { positionSource, toLspDiagnostic } from '../../../src/engine/positions';
import { contextOf, HEAD, PEOPLE } from './cursor';

const FULL = `scimmap: 1
name: "Contoso"
source:
  sample: people.csv
  key: WorkerID
target: entra
extensions:
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:
    HireDate: dateTime
let:
  domain: '"contoso.com"'
  f: |-
    function($s) { $lowercase($s) ~> $replace(/[^a-z]/, "") }
mappings:
  externalId: WorkerID
  userName: "$f(FirstName) & \\"@\\" & $domain"
  emails[type eq "work"].value: 'Email'
  displayName: >-
    FirstName
    & " " & LastName
  urn:ietf:params:scim:schemas:extension:contoso:1.0:User:HireDate: HireDate & "T00:00:00Z"
`;

const BROKEN = [
  `${HEAD}mappings:\n  externalId: [\n  emails[ty\n  title: $join(FirstName, \n`,
  `${HEAD}mappings:\n  'title: "abc\n  name.: x\n  : y\n  - z\n`,
  `${HEAD}let:\n  a: '($x := 1; $x'\n  : \n mappings:\n\tfoo: bar\n`,
  `mappings:\n  displayName: |\n    $substring(\n  urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:\n`,
  `${HEAD}mappings:\n  title: "unterminated\n  active: '\n`,
  `{ not: yaml: at: all\n---\n- a\n- b: |\n`,
  '',
  '\n\n   \n',
  `${HEAD}mappings:\n  title: /* comment\n  displayName: \`First\n`,
  `${HEAD}mappings:\r\n  title: Personal.\r\n  userName: $\r\n`,
];

function runAll(text: string): void {
  const ctx = contextOf(text, { sample: PEOPLE });
  ctx.record = { index: 0, values: { externalId: 'W1', title: 3 }, errors: { userName: 'boom' } };
  const doc = ctx.document;
  const all = Range.create(0, 0, doc.lineCount + 1, 0);
  const pos = positionSource(text);
  const diagnostics = ctx.analysis.diagnostics.map((d) => toLspDiagnostic(pos, d));
  features.doDocumentSymbols(ctx);
  features.doFoldingRanges(ctx);
  features.doDocumentLinks(ctx);
  features.doInlayHints(ctx, all);
  features.doCodeActions(ctx, all, diagnostics);
  for (let offset = 0; offset <= text.length; offset++) {
    const p = doc.positionAt(offset);
    try {
      features.doComplete(ctx, p);
      features.doHover(ctx, p);
      features.doSignatureHelp(ctx, p);
      features.doDefinition(ctx, p);
      features.prepareRename(ctx, p);
      features.doRename(ctx, p, 'renamed');
    } catch (e) {
      assert.fail(`offset ${offset} of ${JSON.stringify(text)}: ${(e as Error).stack}`);
    }
  }
}

describe('no feature throws on broken documents', () => {
  BROKEN.forEach((text, i) => it(`broken document ${i + 1}`, () => runAll(text)));

  it('every prefix of a valid document (typing it from the top)', () => {
    for (let cut = 0; cut <= FULL.length; cut += 7) runAll(FULL.slice(0, cut));
  });
});
