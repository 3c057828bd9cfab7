import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { parseMappingText } from '../../../src/engine/mapping/parse';
import { configOf, errorsOf, mappingWith } from './helpers';

test('source.from: a complete rest source parses into its config', () => {
  const c = configOf(`
type: rest
url: https://hr.example.com/api/people
records: data.items
headers:
  X-Tenant: contoso
query:
  status: active
paging:
  type: offset
  pageSize: 200
auth:
  type: oauth2
  tokenUrl: https://login.example.com/oauth/token
  clientIdEnv: HR_CLIENT_ID
  clientSecretEnv: HR_CLIENT_SECRET
  scope: people.read
`);
  assert.equal(c.type, 'rest');
  if (c.type !== 'rest') return;
  assert.equal(c.url, 'https://hr.example.com/api/people');
  assert.equal(c.records, 'data.items');
  assert.deepEqual({ ...c.headers }, { 'X-Tenant': 'contoso' });
  assert.deepEqual({ ...c.query }, { status: 'active' });
  assert.deepEqual(c.paging, { type: 'offset', pageSize: 200 });
  assert.deepEqual(c.auth, { type: 'oauth2', tokenUrl: 'https://login.example.com/oauth/token', clientIdEnv: 'HR_CLIENT_ID', clientSecretEnv: 'HR_CLIENT_SECRET', scope: 'people.read' });
  assert.equal(c.retries, 4);
});

test('source.from: sql source with parameters', () => {
  const c = configOf(`
type: sql
driver: postgres
connectionEnv: HR_DB_URL
query: SELECT * FROM workers WHERE status = $1
params: [active]
`);
  assert.deepEqual(c, { type: 'sql', driver: 'postgres', connectionEnv: 'HR_DB_URL', query: 'SELECT * FROM workers WHERE status = $1', params: ['active'], batchSize: 1000, timeoutSeconds: 300 });
});

test('source.from: located diagnostics for bad sources', () => {
  const cases: Array<[string, RegExp]> = [
    ['type: ftp\nurl: https://x.example.com', /Unknown source\.from\.type 'ftp'/],
    ['url: https://x.example.com', /needs a 'type'/],
    ['type: rest', /a rest source needs 'url'/],
    ['type: rest\nurl: http://hr.example.com/api', /plain http is allowed only to a loopback address/],
    ['type: rest\nurl: ftp://hr.example.com/api', /unsupported scheme/],
    ['type: rest\nurl: https://user:pw@hr.example.com/api', /must not carry a user name or password/],
    ['type: rest\nurl: https://x.example.com\nauth:\n  type: bearer\n  tokenEnv: SCIMMAP_TOKEN', /SCIMMAP_TOKEN' is one of SCIM Mapper's own variables/],
    ['type: rest\nurl: https://x.example.com\nauth:\n  type: basic\n  usernameEnv: HR_USER\n  passwordEnv: scimmap_client_secret', /own variables/],
    ['type: sql\ndriver: postgres\nconnectionEnv: SCIMMAP_CLIENT_SECRET\nquery: SELECT 1', /own variables/],
    ['type: rest\nurl: https://x.example.com\nauth:\n  type: bearer\n  tokenEnv: "abc def secret"', /not an environment variable name/],
    ['type: rest\nurl: https://x.example.com\nauth:\n  type: basic\n  usernameEnv: HR_USER', /auth type basic needs 'passwordEnv'/],
    ['type: rest\nurl: https://x.example.com\nheaders:\n  Authorization: Bearer abc', /set by 'auth'/],
    ['type: rest\nurl: https://x.example.com\npaging:\n  type: cursor', /cursor paging needs nextPath/],
    ['type: rest\nurl: https://x.example.com\nquery: 1\n', /must be a mapping/],
    ['type: sql\ndriver: oracle\nconnectionEnv: DB\nquery: SELECT 1', /Unknown source\.from\.driver 'oracle'/],
    ['type: sql\ndriver: postgres\nquery: SELECT 1', /needs 'connectionEnv'/],
    ['type: rest\nurl: https://x.example.com\nentity: PerPerson', /'entity' does not apply to a rest source/],
    ['type: successfactors\nurl: https://api.sf.example.com/odata/v2\nasOfDate: 16/03/2020', /yyyy-MM-dd/],
    ['type: workday\nurl: https://wd.example.com/ccx/service/customreport2/x\nauth:\n  type: apiKey\n  keyEnv: K', /workday source signs in with basic/],
    ['type: rest\nurl: https://x.example.com\nauth:\n  type: oauth2\n  tokenUrl: http://login.example.com/token\n  clientIdEnv: A\n  clientSecretEnv: B', /plain http/],
    ['type: rest\nurl: https://x.example.com\nretries: 99', /retries must be a whole number from 0 to 10/],
    ['type: rest\nurl: https://x.example.com\nurll: https://y', /Unknown key 'urll'/],
  ];
  for (const [from, re] of cases) {
    const errs = errorsOf(from);
    assert.ok(errs.some((m) => re.test(m)), `${from}\n→ ${errs.join(' | ')}`);
  }
});

test('source.from: diagnostics point at the offending value', () => {
  const text = mappingWith('type: rest\nurl: https://x.example.com\nauth:\n  type: bearer\n  tokenEnv: SCIMMAP_TOKEN');
  const d = parseMappingText(text).diagnostics.find((x) => /own variables/.test(x.message))!;
  assert.equal(text.slice(d.start, d.end), 'SCIMMAP_TOKEN');
  assert.equal(parseMappingText(text).source?.from?.config, undefined, 'no config is produced from a source with errors');
});

test('source.from: loopback http is allowed (tests, local stand-ins)', () => {
  for (const host of ['127.0.0.1:8080', 'localhost:3000', '[::1]:9000']) assert.equal(configOf(`type: rest\nurl: http://${host}/api`).type, 'rest');
});

test('docs/sources.md: every complete example is accepted by the engine and by docs/mapping.schema.json', () => {
  const root = resolve(__dirname, '../../../..');
  const md = readFileSync(join(root, 'docs/sources.md'), 'utf8');
  const blocks = [...md.matchAll(/```yaml\n(scimmap: 1\n[\s\S]*?)```/g)].map((m) => m[1]);
  assert.equal(blocks.length, 4, 'one complete example per connector');
  const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(JSON.parse(readFileSync(join(root, 'docs/mapping.schema.json'), 'utf8')));
  const types = new Set<string>();
  for (const b of blocks) {
    const doc = parseMappingText(b);
    assert.deepEqual(doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], b);
    types.add(doc.source!.from!.config!.type);
    assert.ok(validate(parse(b)), `${JSON.stringify(validate.errors)}\n${b}`);
  }
  assert.deepEqual([...types].sort(), ['rest', 'sql', 'successfactors', 'workday']);
  // The schema refuses what the engine refuses.
  assert.equal(validate(parse(mappingWith('type: rest\nurl: https://x.example.com\nauth:\n  type: bearer\n  tokenEnv: SCIMMAP_TOKEN'))), false);
  assert.equal(validate(parse(mappingWith('type: rest\nurl: http://hr.example.com'))), false);
});
