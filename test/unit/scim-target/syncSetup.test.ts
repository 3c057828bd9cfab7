/** What `scimmap sync` and VS Code's Run Sync decide after discovery (src/targets/scim/syncSetup.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScimEndpoint, ScimClient, scimSyncSetup, serverGuardVerdicts, type CompatFinding, type ServerProfile } from '../../../src/targets/scim';

const server = (config: Partial<ServerProfile['config']>): ServerProfile =>
  ({
    scimmapServer: 1,
    endpoint: 'http://127.0.0.1:4567/scim/v2',
    fetchedAt: '2026-12-01T00:00:00Z',
    config: { patch: true, etag: false, filter: { supported: true, maxResults: 100 }, bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 }, ...config },
  }) as unknown as ServerProfile;

describe('SCIM sync setup', () => {
  it('an error finding is a refusing server guard; a warning passes; no findings is one passing verdict', () => {
    const findings: CompatFinding[] = [
      { severity: 'error', code: 'server-attribute-missing', key: 'nickName', message: 'the server has no nickName' },
      { severity: 'warning', code: 'server-no-filter', message: 'no filter support' },
    ];
    const v = serverGuardVerdicts(findings);
    assert.deepEqual(v.map((x) => [x.guard, x.verdict]), [['server', 'refuse'], ['server', 'pass']]);
    assert.equal(v[0]!.message, 'server-attribute-missing (nickName): the server has no nickName');
    assert.match(v[0]!.override!, /^none: change the mapping/);
    assert.equal(v[1]!.override, undefined);
    assert.deepEqual(serverGuardVerdicts([]).map((x) => x.verdict), ['pass']);
  });

  it('says how the records go: /Bulk with the capped size, or one by one (no /Bulk, or bulk: false); PATCH or PUT', () => {
    const client = new ScimClient(parseScimEndpoint('http://127.0.0.1:4567/scim/v2', {}));
    const bulk = scimSyncSetup(client, server({}), []);
    assert.equal(bulk.bulk, true);
    assert.equal(bulk.path, '/Bulk, up to 100 users per request; patch yes, etag no');
    assert.equal(bulk.target.destination, 'scim');
    const noBulk = scimSyncSetup(client, server({ patch: false, etag: true, bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 } }), []);
    assert.equal(noBulk.bulk, false);
    assert.equal(noBulk.path, 'one user per request: the server does not support /Bulk; patch no: PUT, etag yes');
    const off = scimSyncSetup(client, server({}), [], { bulk: false });
    assert.equal(off.path, 'one user per request: --no-bulk; patch yes, etag no');
  });
});
