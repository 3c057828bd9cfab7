import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildEndpoint, EndpointError, parseEndpoint, staticTokenProvider, uploadBatches, checkAllowedUrl } from '../../../src/targets/entra/upload';
import { batchesOf } from './helpers';

const SP = '2b6b4c3e-1e0a-4f8e-9d55-0a4c1b8f7a21';
const JOB = 'API2AAD.1f2e3d4c5b6a79881f2e3d4c5b6a7988.0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';

test('parses the portal endpoint (beta and v1.0) and derives the logs URL and scope', () => {
  const e = parseEndpoint(`  https://graph.microsoft.com/beta/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload `);
  assert.equal(e.version, 'beta');
  assert.equal(e.servicePrincipalId, SP);
  assert.equal(e.jobId, JOB);
  assert.equal(e.provisioningLogsUrl, 'https://graph.microsoft.com/beta/auditLogs/provisioning');
  assert.equal(e.scope, 'https://graph.microsoft.com/.default');
  assert.equal(e.authorityHost, 'https://login.microsoftonline.com');
  assert.deepEqual(e.warnings, []);
  const v1 = parseEndpoint(`https://graph.microsoft.us/v1.0/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`);
  assert.equal(v1.cloud, 'usgov');
  assert.equal(v1.scope, 'https://graph.microsoft.us/.default');
  assert.equal(parseEndpoint(`https://dod-graph.microsoft.us/v1.0/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`).cloud, 'dod');
  assert.equal(parseEndpoint(`https://microsoftgraph.chinacloudapi.cn/beta/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`).authorityHost, 'https://login.chinacloudapi.cn');
});

test('builds the endpoint from ids, national clouds and loopback', () => {
  const e = buildEndpoint({ servicePrincipalId: SP, jobId: JOB });
  assert.equal(e.url, `https://graph.microsoft.com/v1.0/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`);
  assert.equal(buildEndpoint({ servicePrincipalId: SP, jobId: JOB, cloud: 'china', version: 'beta' }).origin, 'https://microsoftgraph.chinacloudapi.cn');
  const l = buildEndpoint({ servicePrincipalId: 'sp', jobId: 'job1', baseUrl: 'http://localhost:8400' });
  assert.equal(l.loopback, true);
  assert.equal(l.provisioningLogsUrl, 'http://localhost:8400/v1.0/auditLogs/provisioning');
  assert.equal(l.warnings.length, 1, 'odd job id shape is a warning, not a refusal');
  assert.ok(parseEndpoint(`http://[::1]:9999/beta/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`).loopback);
});

test('the allowlist refuses other hosts, plain http off loopback, loopback without port, credentials and bad paths', () => {
  const path = `/v1.0/servicePrincipals/${SP}/synchronization/jobs/${JOB}/bulkUpload`;
  const refused: Array<[string, RegExp]> = [
    [`https://evil.example.com${path}`, /not a Microsoft Graph host/],
    [`https://graph.microsoft.com.evil.example${path}`, /not a Microsoft Graph host/],
    [`http://graph.microsoft.com${path}`, /https/],
    [`https://graph.microsoft.com:8443${path}`, /443/],
    [`http://10.0.0.5:8080${path}`, /not a Microsoft Graph host/],
    [`http://127.0.0.1${path}`, /port/],
    [`https://user:pw@graph.microsoft.com${path}`, /passwords/],
    [`ftp://127.0.0.1:21${path}`, /scheme/],
    [`https://graph.microsoft.com/v1.0/users`, /not a bulkUpload endpoint/],
    [`https://graph.microsoft.com${path}?x=1`, /query/],
    ['not a url', /not a URL/],
  ];
  for (const [url, re] of refused) assert.throws(() => parseEndpoint(url), (e: Error) => e instanceof EndpointError && re.test(e.message), url);
  assert.throws(() => checkAllowedUrl('http://127.0.0.2:80/'), EndpointError);
});

test('a redirect to another host is refused, never followed (and the token never reaches it)', async () => {
  let evilHits = 0;
  const evil = createServer((_req, res) => {
    evilHits++;
    res.end();
  });
  await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
  const evilPort = (evil.address() as AddressInfo).port;
  const redirector = createServer((_req, res) => {
    res.writeHead(307, { Location: `http://localhost:${evilPort}/steal` });
    res.end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
  try {
    const port = (redirector.address() as AddressInfo).port;
    const endpoint = parseEndpoint(`http://127.0.0.1:${port}/v1.0/servicePrincipals/sp/synchronization/jobs/job/bulkUpload`);
    const summary = await uploadBatches(batchesOf(100), { endpoint, tokens: staticTokenProvider('tok-redirect-123') });
    assert.equal(summary.stopped?.reason, 'endpoint');
    assert.match(summary.stopped!.message, /redirect.*another host/);
    assert.equal(summary.totals.accepted, 0);
    assert.equal(summary.records.length, 100, 'every record accounted for');
    assert.equal(evilHits, 0);
  } finally {
    redirector.close();
    evil.close();
  }
});
