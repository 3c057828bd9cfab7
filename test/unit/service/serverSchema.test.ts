/**
 * The `server:` key on text (pure language service, files in memory): the saved SCIM server discovery's findings
 * at the mapping keys they are about, file-level problems at the `server:` value, the key on the wrong target,
 * the hover's "On the server" (escaped), completion of the key, and one read of the file per document version.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LanguageService } from '../../../src/service/languageService';
import { doComplete, doDocumentLinks, doHover } from '../../../src/service/features';
import type { FileHost } from '../../../src/engine/analysis/host';
import { FileRefusedError } from '../../../src/engine/files/boundedReader';
import { analyzeMappingText } from '../../../src/engine/analysis';
import { compileMapping } from '../../../src/engine/transform/compile';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../../../src/engine/types';
import type { ServerProfile } from '../../../src/targets/scim';
import { codeSpan } from '../../../src/service/features/markdown';
import { COMPAT_CODES } from '../../../src/targets/scim/compat';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../../tempDirs';
import { join } from 'node:path';

const DIR = '/virtual/scim';
const MAPPING = `${DIR}/people.scimmap.yaml`;
const SAVED = `${DIR}/server-schema.json`;
const ACME = 'urn:example:params:scim:schemas:extension:acme:1.0:User';

function profile(over: (p: ServerProfile) => void = () => undefined): ServerProfile {
  const p: ServerProfile = {
    scimmapServer: 1, endpoint: 'https://app.example.com/scim/v2', fetchedAt: '2026-12-01T00:00:00.000Z',
    config: { patch: true, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 }, filter: { supported: true, maxResults: 100 }, etag: false },
    users: { endpoint: '/Users', schema: CORE_USER_URN, extensions: [{ schema: ENTERPRISE_USER_URN, required: false }] },
    schemas: {
      [CORE_USER_URN]: [
        { name: 'userName', type: 'string', multiValued: false, mutability: 'readWrite', required: true },
        { name: 'active', type: 'boolean', multiValued: false },
        { name: 'displayName', type: 'string', multiValued: false },
        { name: 'name', type: 'complex', multiValued: false, subAttributes: [{ name: 'givenName', type: 'string', multiValued: false }] },
      ],
      [ENTERPRISE_USER_URN]: [{ name: 'department', type: 'string', multiValued: false }],
    },
  };
  over(p);
  return p;
}

/** An in-memory FileHost that counts reads of each file. */
function memoryHost(files: Record<string, string>): FileHost & { reads: Map<string, number>; files: Record<string, string> } {
  const reads = new Map<string, number>();
  return {
    files, reads,
    readText(p) {
      reads.set(p, (reads.get(p) ?? 0) + 1);
      return Object.hasOwn(files, p) ? files[p] : undefined;
    },
    exists: (p) => Object.hasOwn(files, p),
  };
}

const TEXT = `scimmap: 1
target: scim
server: server-schema.json
extensions:
  ${ACME}:
    badge: string
    floor: string
mappings:
  externalId: id
  userName: email
  active: status = "Active"
  title: role
  name.givenName: first
  ${ACME}:badge: id
  ${ACME}:floor: floor
`;

const lineOf = (text: string, d: { start: number }) => text.slice(0, d.start).split('\n').length - 1;

function analyze(text: string, files: Record<string, string>) {
  const host = memoryHost(files);
  return { host, analysis: analyzeMappingText(text, { filePath: MAPPING, host }) };
}

describe('server: the saved SCIM server discovery', () => {
  it('puts each finding at the mapping key it is about, with what the server declares and the fix', () => {
    const { analysis } = analyze(TEXT, { [SAVED]: JSON.stringify(profile()) });
    const found = analysis.diagnostics.filter((d) => d.code.startsWith('server-')).map((d) => [d.code, d.severity, lineOf(TEXT, d)]);
    assert.deepEqual(found, [
      ['server-attribute-missing', 'error', 11],
      ['server-extension-undeclared', 'error', 13],
      ['server-extension-undeclared', 'error', 14],
    ]);
    const undeclared = analysis.diagnostics.find((d) => d.code === 'server-extension-undeclared')!;
    assert.equal(TEXT.slice(undeclared.start, undeclared.end), `${ACME}:badge`);
    assert.match(undeclared.message, /^The server's User resource type does not declare the extension urn:example:.*acme:1\.0:User \(it declares urn:ietf:params:scim:schemas:core:2\.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User\)/);
    assert.match(undeclared.message, /saved server discovery 'server-schema\.json'.*Remove the mappings into this extension, or have the app declare it and pull again/);
    const missing = analysis.diagnostics.find((d) => d.code === 'server-attribute-missing')!;
    assert.equal(TEXT.slice(missing.start, missing.end), 'title');
    assert.match(missing.message, /has no attribute title.*Remove the mapping, or map to an attribute the server has/);
  });

  it('types, multi-valuedness and read-only attributes differ per key; no filter support sits on server:', () => {
    const saved = profile((p) => {
      p.config.filter.supported = false;
      p.schemas[CORE_USER_URN] = p.schemas[CORE_USER_URN]!.map((a) => (a.name === 'active' ? { ...a, type: 'string' } : a.name === 'displayName' ? { ...a, mutability: 'readOnly' } : a));
    });
    const text = `scimmap: 1\ntarget: scim\nserver: server-schema.json\nmappings:\n  userName: email\n  active: status = "Active"\n  displayName: first\n`;
    const { analysis } = analyze(text, { [SAVED]: JSON.stringify(saved) });
    const found = analysis.diagnostics.filter((d) => d.code.startsWith('server-')).map((d) => [d.code, text.slice(d.start, d.end)]);
    assert.deepEqual(found, [
      ['server-no-filter', 'server-schema.json'],
      ['server-type-mismatch', 'active'],
      ['server-read-only', 'displayName'],
    ]);
    assert.match(analysis.diagnostics.find((d) => d.code === 'server-type-mismatch')!.message, /^active is string on the server, boolean in the mapping \(saved server discovery 'server-schema\.json'\)\. Convert the value/);
  });

  it('file-level problems are one server-schema error at the server: value', () => {
    const cases: Array<[string, FileHost | Record<string, string>, RegExp]> = [
      ['missing', {}, /'server-schema\.json' does not exist\. Save it with: scimmap server pull/],
      ['not JSON', { [SAVED]: '{"scimmapServer": 1,' }, /is not a saved SCIM server discovery: not JSON/],
      ['an app schema', { [SAVED]: JSON.stringify({ directories: [], synchronizationRules: [] }) }, /scimmapServer is missing: this is not a file scimmap server pull wrote/],
      ['a newer version', { [SAVED]: JSON.stringify({ ...profile(), scimmapServer: 2 }) }, /scimmapServer is 2; this version of SCIM Mapper reads version 1/],
      ['a bad attribute', { [SAVED]: JSON.stringify(profile((p) => void ((p.schemas[CORE_USER_URN]![1] as unknown as Record<string, unknown>).multiValued = 'no'))) }, /schemas\["urn:ietf:params:scim:schemas:core:2\.0:User"\]\[1\]\.multiValued must be true or false/],
      ['a huge name', { [SAVED]: JSON.stringify(profile((p) => void (p.schemas[CORE_USER_URN]![0]!.type = 'x'.repeat(5000)))) }, /schemas\[.*\]\[0\]\.type is longer than 1024 characters/],
      ['too many extensions', { [SAVED]: JSON.stringify(profile((p) => void (p.users.extensions = Array.from({ length: 201 }, (_, i) => ({ schema: `urn:x:${i}`, required: false }))))) }, /users\.extensions lists more than 200 extensions/],
      ['refused', { readText: (p: string) => { throw new FileRefusedError(p, 'file-too-large', 'is larger than 16 MiB, the limit for a JSON file'); }, exists: () => true }, /is not read: is larger than 16 MiB/],
    ];
    for (const [what, files, message] of cases) {
      const host: FileHost = 'readText' in files && typeof files.readText === 'function' ? (files as FileHost) : memoryHost(files as Record<string, string>);
      const analysis = analyzeMappingText(TEXT, { filePath: MAPPING, host });
      const ds = analysis.diagnostics.filter((d) => d.code.startsWith('server-'));
      assert.equal(ds.length, 1, `${what}: ${JSON.stringify(ds)}`);
      assert.equal(ds[0]!.code, 'server-schema');
      assert.equal(ds[0]!.severity, 'error');
      assert.equal(TEXT.slice(ds[0]!.start, ds[0]!.end), 'server-schema.json', what);
      assert.match(ds[0]!.message, message, what);
    }
  });

  it('the saved copy never makes a target skipped: the upload asks the live server', () => {
    const { analysis } = analyze(TEXT, { [SAVED]: JSON.stringify(profile()) });
    const compiled = compileMapping(analysis);
    assert.deepEqual(compiled.skipped, []);
    assert.ok(compiled.targets.some((t) => t.key === 'title'));
  });

  it('server: on target: entra, and app: on target: scim, are ignored with a hint', () => {
    const entra = `scimmap: 1\ntarget: entra\nserver: server-schema.json\nmappings:\n  externalId: id\n  active: true\n`;
    const a = analyze(entra, { [SAVED]: JSON.stringify(profile()) });
    const d = a.analysis.diagnostics.find((x) => x.code === 'key-not-for-target')!;
    assert.equal(d.severity, 'warning');
    assert.equal(entra.slice(d.start, d.end), 'server-schema.json');
    assert.match(d.message, /server: is ignored for target: entra.*app: app-schema\.json \(scimmap app pull\), or set target: scim/);
    assert.equal(a.host.reads.get(SAVED), undefined, 'not read for entra');
    const scim = `scimmap: 1\ntarget: scim\napp: app-schema.json\nmappings:\n  userName: email\n`;
    const b = analyze(scim, {});
    const e = b.analysis.diagnostics.find((x) => x.code === 'key-not-for-target')!;
    assert.equal(scim.slice(e.start, e.end), 'app-schema.json');
    assert.match(e.message, /app: is ignored for target: scim.*server: server-schema\.json \(scimmap server pull\)/);
    assert.ok(!b.analysis.diagnostics.some((x) => x.code === 'app-schema'), 'the app schema is not read for scim');
  });

  it('hover on a mapped key shows the server\'s definition, escaped; the file is read once per document version', () => {
    const hostile = profile((p) => {
      p.schemas[CORE_USER_URN]!.push({ name: 'title', type: 'string`](https://evil.example/x.png)<img src=x>', multiValued: false, mutability: '<script>' });
    });
    const host = memoryHost({ [SAVED]: JSON.stringify(hostile) });
    const service = new LanguageService({ host });
    const doc = TextDocument.create(`file://${MAPPING}`, 'scimmap', 1, TEXT);
    const ctx = () => ({ document: doc, analysis: service.analyze(doc) });
    const hoverAt = (line: number, character: number) => (doHover(ctx(), { line, character })?.contents as { value: string } | undefined)?.value ?? '';

    const userName = hoverAt(9, 4);
    assert.match(userName, /\*\*On the server\*\* \(saved discovery `server-schema\.json`\): `userName` — `string`, single-valued, mutability `readWrite`, required/);
    const title = hoverAt(11, 3);
    assert.match(title, /`title` — ``string`\]\(https:\/\/evil\.example\/x\.png\)<img src=x>``, single-valued, mutability `<script>`/);
    // Every string from the file goes through codeSpan (test/unit/service/markdown.test.ts shows nothing inside one is interpreted).
    assert.ok(title.includes(codeSpan('string`](https://evil.example/x.png)<img src=x>')) && title.includes(codeSpan('<script>')), title);
    assert.match(hoverAt(13, 4), /not declared — the User resource type does not declare the extension `urn:example:params:scim:schemas:extension:acme:1\.0:User`/);
    assert.match(hoverAt(12, 8), /`name\.givenName` — `string`, single-valued/);
    service.staticDiagnostics(doc);
    doDocumentLinks(ctx());
    assert.equal(host.reads.get(SAVED), 1, 'one read for every request on version 1');
    assert.equal(service.parses, 1);

    // A re-pull changes the file: the server forgets the analyses (filesChanged) and the next version reads it again.
    host.files[SAVED] = JSON.stringify(profile((p) => void p.schemas[CORE_USER_URN]!.push({ name: 'title', type: 'string', multiValued: false })));
    service.forget(doc.uri);
    const codes = service.staticDiagnostics(doc).map((d) => d.code);
    assert.ok(!codes.includes('server-attribute-missing'), codes.join());
    assert.equal(host.reads.get(SAVED), 2);
  });

  it('completes the server: value with the .json files beside the mapping', () => {
    const dir = tempDir('scimmap-server-complete-');
    for (const f of ['server-schema.json', 'people.csv', 'notes.txt']) writeFileSync(join(dir, f), '{}');
    const text = `scimmap: 1\ntarget: scim\nserver: \nmappings:\n  userName: email\n`;
    const file = join(dir, 'people.scimmap.yaml');
    const doc = TextDocument.create(`file://${file}`, 'scimmap', 1, text);
    const list = doComplete({ document: doc, analysis: analyzeMappingText(text, { filePath: file }) }, { line: 2, character: 8 });
    assert.deepEqual(list.items.map((i) => i.label), ['server-schema.json']);
  });

  it('completes the server key at the top level, and links the saved file', () => {
    const text = `scimmap: 1\ntarget: scim\nser\nmappings:\n  userName: email\n`;
    const doc = TextDocument.create(`file://${MAPPING}`, 'scimmap', 1, text);
    const list = doComplete({ document: doc, analysis: analyzeMappingText(text, { filePath: MAPPING }) }, { line: 2, character: 3 });
    const item = list.items.find((i) => i.label === 'server');
    assert.ok(item, list.items.map((i) => i.label).join());
    assert.match(String((item.documentation as { value: string }).value), /scimmap server pull/);
    assert.ok(!list.items.some((i) => i.label === 'app'), 'app: is for target: entra');
    const entra = text.replace('target: scim', 'target: entra');
    const entraList = doComplete({ document: TextDocument.create(`file://${MAPPING}`, 'scimmap', 1, entra), analysis: analyzeMappingText(entra, { filePath: MAPPING }) }, { line: 2, character: 3 });
    assert.ok(entraList.items.some((i) => i.label === 'app') && !entraList.items.some((i) => i.label === 'server'), 'server: is for target: scim');
    const { analysis } = analyze(TEXT, { [SAVED]: JSON.stringify(profile()) });
    const links = doDocumentLinks({ document: TextDocument.create(`file://${MAPPING}`, 'scimmap', 1, TEXT), analysis });
    assert.ok(links.some((l) => l.target === `file://${SAVED}`), JSON.stringify(links));
  });
});

describe('docs', () => {
  it('every server: diagnostic code has a section in docs/diagnostics.md with an example and a fix', () => {
    const doc = readFileSync(join(process.cwd(), 'docs/diagnostics.md'), 'utf8');
    const sections = doc.split(/\n### /).slice(1);
    for (const code of ['server-schema', 'key-not-for-target', ...COMPAT_CODES]) {
      const s = sections.find((x) => x.split('\n')[0] === code);
      assert.ok(s, `no section for ${code}`);
      assert.match(s, /```yaml[\s\S]+```/, `${code}: no example`);
      assert.match(s, /\*\*Fix:\*\*/, `${code}: no fix`);
    }
  });
});
