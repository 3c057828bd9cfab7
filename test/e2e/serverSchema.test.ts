// In a real VS Code: a target: scim mapping whose server: file (the saved SCIM server discovery) does not declare the
// mapping's extension — the error is in the Problems panel at the extension key, the hover on a key shows how the
// server defines it, and a re-pull (the file rewritten on disk) clears the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, skipE2E } from './harness';
import { ownTempDir, useVSCode } from './fixtures';
import { openProblems, problems, waitUntil } from './scimmap';
import { CORE_USER_URN, ENTERPRISE_USER_URN } from '../../src/engine/types';
import type { ServerProfile } from '../../src/targets/scim';

const skip = skipE2E;
const ACME = 'urn:example:params:scim:schemas:extension:acme:1.0:User';

function discovery(extensions: string[]): ServerProfile {
  return {
    scimmapServer: 1, endpoint: 'https://app.example.com/scim/v2', fetchedAt: '2026-12-01T00:00:00.000Z',
    config: { patch: true, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 }, filter: { supported: true, maxResults: 100 }, etag: false },
    users: { endpoint: '/Users', schema: CORE_USER_URN, extensions: extensions.map((schema) => ({ schema, required: false })) },
    schemas: {
      [CORE_USER_URN]: [
        { name: 'userName', type: 'string', multiValued: false, mutability: 'readWrite', required: true },
        { name: 'active', type: 'boolean', multiValued: false },
        { name: 'displayName', type: 'string', multiValued: false },
      ],
      [ENTERPRISE_USER_URN]: [{ name: 'department', type: 'string', multiValued: false }],
      [ACME]: [{ name: 'badge', type: 'string', multiValued: false }],
    },
  };
}

const MAPPING = `scimmap: 1
source:
  sample: people.csv
  key: id
target: scim
server: server-schema.json
extensions:
  ${ACME}:
    badge: string
mappings:
  externalId: id
  userName: email
  active: status = "Active"
  displayName: first & " " & last
  ${ACME}:badge: id
`;

const { step } = useVSCode((t) => {
  const ws = ownTempDir(t, 'scimmap-e2e-server-');
  copyFileSync(join(repoRoot, 'test/fixtures/scim-target/people.csv'), join(ws, 'people.csv'));
  writeFileSync(join(ws, 'server-schema.json'), JSON.stringify(discovery([ENTERPRISE_USER_URN]), null, 2));
  writeFileSync(join(ws, 'app.scimmap.yaml'), MAPPING);
  return { name: 'server-schema', workspace: ws };
});

test('the undeclared extension is in Problems at its key; the hover shows the server\'s definition; a re-pull clears it', { skip }, () => step('server-schema', async (v) => {
  await v.openFile('app.scimmap.yaml');
  await openProblems(v.page);
  const rows = await waitUntil('the server-extension-undeclared problem', () => problems(v.page), (r) => r.some((x) => x.includes('does not declare the extension')), 60_000);
  const row = rows.find((x) => x.includes('does not declare the extension'))!;
  assert.match(row, /^Error: The server's User resource type does not declare the extension urn:example:params:scim:schemas:extension:acme:1\.0:User \(it declares urn:ietf:params:scim:schemas:core:2\.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User\)/);
  assert.match(row, /saved server discovery 'server-schema\.json'/);
  assert.match(row, /at line 15 and character 3/);
  const text = await v.page.locator('.markers-panel .monaco-list-row', { hasText: 'does not declare the extension' }).first().innerText();
  assert.match(text, /server-extension-undeclared/);
  await v.page.locator('.editor-instance .squiggly-error').first().waitFor();
  await v.screenshot('server-schema-problems');

  const md = await v.readHover({ line: 12, column: 5 }); // "userName"
  assert.match(md, /On the server/);
  assert.match(md, /userName — string, single-valued, mutability readWrite, required/);
  await v.screenshot('server-schema-hover');
  await v.page.keyboard.press('Escape');

  // `scimmap server pull` after the app declared the extension: the file is replaced whole, the error goes.
  // (In this run's copy of the workspace.)
  const tmp = join(v.server.workspace, '.server-schema.json.tmp');
  writeFileSync(tmp, JSON.stringify(discovery([ENTERPRISE_USER_URN, ACME]), null, 2));
  renameSync(tmp, join(v.server.workspace, 'server-schema.json'));
  await waitUntil('the problem to clear after the re-pull', () => problems(v.page), (r) => !r.some((x) => x.includes('does not declare the extension')), 60_000);
  await v.screenshot('server-schema-repulled');
}));
