/**
 * `scimmap sync` to a SCIM app that takes only OAuth 2.0 client-credentials tokens (oidc-provider issues them, the
 * scimmy app verifies each against the provider's JWKS): the sync signs in through the same token provider as
 * upload, deactivates a leaver, and neither the client secret nor a token reaches the output, state or journal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { startScimmy, type ScimmyServer } from './scimmyServer';
import { BASIC_CLIENT, SCOPE, startOAuthServer, type OAuthServer } from './oauthServer';
import { tempDir } from '../../tempDirs';

let oauth: OAuthServer;
let scim: ScimmyServer;
const bearers = new Set<string>();

before(async () => {
  oauth = await startOAuthServer();
  scim = await startScimmy({
    authorize: async (h) => {
      if (h) bearers.add(h.replace(/^Bearer /, ''));
      return oauth.verify(h);
    },
  });
});
after(async () => {
  await scim.close();
  await oauth.close();
});

test('sync with client credentials: creates, deactivates a leaver; the secret and tokens are nowhere on disk or in the output', async () => {
  const dir = tempDir('scimmap-sync-oauth-');
  writeFileSync(join(dir, 'm.scimmap.yaml'), 'scimmap: 1\nsource:\n  sample: people.csv\n  key: id\ntarget: scim\nmappings:\n  externalId: id\n  userName: id & "@example.org"\n  displayName: name\n  active: true\n');
  const env = { SCIMMAP_SCIM_TOKEN_URL: oauth.tokenUrl, SCIMMAP_SCIM_CLIENT_ID: BASIC_CLIENT.id, SCIMMAP_SCIM_CLIENT_SECRET: BASIC_CLIENT.secret, SCIMMAP_SCIM_SCOPE: SCOPE, XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config'), SCIMMAP_SCIM_HOSTS: '' };
  const outputs: string[] = [];
  const sync = async (n: number): Promise<number> => {
    writeFileSync(join(dir, 'people.csv'), `id,name\n${Array.from({ length: n }, (_, i) => `E${100 + i},Person ${i}`).join('\n')}\n`);
    let out = '';
    let err = '';
    const code = await runCli(['sync', 'm.scimmap.yaml', '--endpoint', scim.base, '--state', 'hr.state'], {
      stdout: new PassThrough().on('data', (d) => (out += d)),
      stderr: new PassThrough().on('data', (d) => (err += d)),
      env,
      cwd: dir,
    });
    outputs.push(out, err);
    return code;
  };
  assert.equal(await sync(20), 0, outputs.join('\n'));
  assert.equal(scim.users.size, 20);
  assert.equal(await sync(19), 0, outputs.join('\n'));
  const leaver = [...scim.users.values()].find((u) => u.externalId === 'E119');
  assert.equal(leaver?.active, false);
  assert.ok(bearers.size >= 1, 'the app saw provider-issued tokens');
  const files = [join(dir, 'hr.state'), join(dir, 'hr.state.history.jsonl'), ...readdirSync(join(dir, 'hr.state.runs')).map((f) => join(dir, 'hr.state.runs', f))];
  for (const text of [...outputs, ...files.map((f) => readFileSync(f, 'latin1'))]) {
    assert.ok(!text.includes(BASIC_CLIENT.secret), 'the client secret');
    for (const b of bearers) assert.ok(!text.includes(b), 'a token');
  }
});
