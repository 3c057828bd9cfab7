import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TextEdit } from 'vscode-languageserver-types';
import { doDefinition, doDocumentLinks, doRename, prepareRename } from '../../../src/service/features';
import { nodeFileHost } from '../../../src/engine/analysis/host';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { applyTextEdits, at, HEAD } from './cursor';
import { tempDir } from '../../tempDirs';

let dir = '';
before(() => {
  dir = tempDir('scimmap-nav-');
  fs.writeFileSync(path.join(dir, 'people.csv'), '\uFEFFWorkerID;"First Name";Email\nW1;Ana;ana@x.com\n');
  fs.writeFileSync(path.join(dir, 'workers.json'), '[\n  {\n    "Worker_ID": "W1",\n    "Personal": {\n      "Name": { "First": "Ana" }\n    }\n  }\n]\n');
  fs.writeFileSync(path.join(dir, 'ext.json'), '{}');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, 'm.scimmap.yaml');

describe('go to definition', () => {
  it('goes from a field to its CSV header column', () => {
    const c = at(`${HEAD}source:\n  sample: people.csv\nmappings:\n  externalId: Work|erID\n  title: \`First N|ame\`\n`.replace('N|ame', 'Name'), { filePath: file(), host: nodeFileHost });
    const loc = doDefinition(c.ctx, c.position)!;
    assert.equal(loc.uri, `file://${path.join(dir, 'people.csv')}`);
    assert.deepEqual(loc.range, { start: { line: 0, character: 1 }, end: { line: 0, character: 9 } });
    const c2 = at(`${HEAD}source:\n  sample: people.csv\nmappings:\n  title: \`First N|ame\`\n`, { filePath: file(), host: nodeFileHost });
    assert.deepEqual(doDefinition(c2.ctx, c2.position)!.range, { start: { line: 0, character: 10 }, end: { line: 0, character: 22 } });
  });

  it('goes from a nested field to its key in a JSON sample', () => {
    const c = at(`${HEAD}source:\n  sample: workers.json\nmappings:\n  title: Personal.Name.Fi|rst\n`, { filePath: file(), host: nodeFileHost });
    const loc = doDefinition(c.ctx, c.position)!;
    assert.deepEqual(loc.range, { start: { line: 4, character: 16 }, end: { line: 4, character: 23 } });
  });

  it('goes from $name to its let binding', () => {
    const c = at(`${HEAD}let:\n  domain: '"x"'\nmappings:\n  title: $dom|ain\n`);
    assert.deepEqual(doDefinition(c.ctx, c.position)!.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 8 } });
  });
});

describe('document links', () => {
  it('links the sample and extension schema files', () => {
    const text = `${HEAD}source:\n  sample: 'people.csv'\nextensions:\n  urn:ietf:params:scim:schemas:extension:x:1.0:User: ext.json\nmappings:\n  externalId: WorkerID\n`;
    const c = at(`${text}|`, { filePath: file(), host: nodeFileHost });
    const links = doDocumentLinks(c.ctx);
    assert.deepEqual(links.map((l) => l.target), [`file://${path.join(dir, 'people.csv')}`, `file://${path.join(dir, 'ext.json')}`]);
    assert.deepEqual(links[0].range, { start: { line: 3, character: 11 }, end: { line: 3, character: 21 } });
  });

  it('gives no link to a UNC, device or file: path', () => {
    for (const p of ['//host/share/x.csv', '\\\\host\\share\\x.csv', 'file:///etc/passwd', 'NUL']) {
      const c = at(`${HEAD}source:\n  sample: ${JSON.stringify(p)}\nmappings:\n  externalId: WorkerID\n|`, { filePath: file(), host: nodeFileHost });
      assert.deepEqual(doDocumentLinks(c.ctx), [], p);
    }
  });
});

describe('rename a let binding', () => {
  const TEXT = `${HEAD}let:\n  domain: '"contoso.com"'\n  upn: 'function($n) { $n & "@" & $domain }'\n  other: '($domain := "x"; $domain)'\nmappings:\n  userName: $upn(Email) & $domain\n  title: "$domain"\n  displayName: |\n    $domain & $domain\n`;

  it('renames the key and every use, not the shadowed ones', () => {
    const c = at(TEXT.replace('userName: $upn(Email) & $domain', 'userName: $upn(Email) & $dom|ain'));
    assert.deepEqual(prepareRename(c.ctx, c.position)!.placeholder, 'domain');
    const edit = doRename(c.ctx, c.position, 'tenantDomain')!;
    const next = applyTextEdits(c.text, edit.changes![c.ctx.document.uri] as TextEdit[]);
    assert.equal(next, TEXT.replace(/\$domain/g, '$tenantDomain').replace('  domain:', '  tenantDomain:').replace('($tenantDomain := "x"; $tenantDomain)', '($domain := "x"; $domain)'));
    const a = analyzeMappingText(next);
    assert.ok(!a.diagnostics.some((d) => d.code === 'unknown-variable'));
  });

  it('renames from the key, and function bindings at their calls', () => {
    const c = at(TEXT.replace('  upn:', '  u|pn:'));
    const next = applyTextEdits(c.text, doRename(c.ctx, c.position, '$toUpn')!.changes![c.ctx.document.uri] as TextEdit[]);
    assert.match(next, /\n {2}toUpn: 'function/);
    assert.match(next, /userName: \$toUpn\(Email\)/);
  });

  it('refuses bad names and places that are not bindings', () => {
    const c = at(TEXT.replace('  upn:', '  u|pn:'));
    assert.equal(doRename(c.ctx, c.position, '1abc'), null);
    const d = at(TEXT.replace('userName: $upn(Email)', 'userName: $upn(Em|ail)'));
    assert.equal(prepareRename(d.ctx, d.position), null);
  });
});
