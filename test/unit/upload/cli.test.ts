import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { startStandIn } from '../../../src/targets/entra/standin';

const MAPPING = join(process.cwd(), 'samples/custom-hr/custom-hr.scimmap.yaml');

function io(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env,
    cwd: mkdtempSync(join(tmpdir(), 'scimmap-cli-')),
    signal,
    out: () => out,
    err: () => err,
  };
}

test('stand-in command prints the URLs and a ready-to-paste endpoint, serves, and stops on abort', async () => {
  const ac = new AbortController();
  const x = io({}, ac.signal);
  const running = runCli(['stand-in', '--port', '0', '--log-delay', '0', '--verified-domain', 'tailspintoys.com', '--quiet', '--fault-storm', '1:0'], x);
  for (let i = 0; i < 100 && !x.out().includes('Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 20));
  const endpoint = /bulkUpload\s+(\S+)/.exec(x.out())![1]!;
  assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+\/beta\/servicePrincipals\/.+\/bulkUpload$/);
  const res = await fetch(endpoint, { method: 'POST' });
  assert.equal(res.status, 401);
  ac.abort();
  assert.equal(await running, 0);
  assert.equal(await runCli(['stand-in', '--host', '0.0.0.0'], io()), 2);
  assert.equal(await runCli(['stand-in', '--fault-5xx', '2'], io()), 2);
});

test('upload command: end to end against the stand-in, json summary, --wait results, resume, exit codes', { skip: !existsSync(MAPPING) }, async () => {
  const s = await startStandIn({ verifiedDomains: ['tailspintoys.com'] });
  try {
    const env = { SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET: 'cli-secret-xyz' };
    const x = io(env);
    const journal = join(x.cwd, 'run.jsonl');
    const code = await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl(), '--limit', '60', '--wait', '--poll-interval', '1', '--format', 'json', '--journal', journal], x);
    const summary = JSON.parse(x.out()) as { totals: { accepted: number }; provisioning: { complete: boolean; outcomes: Array<{ status: string }> } };
    assert.equal(summary.totals.accepted, 60, x.err());
    assert.equal(s.stats.acceptedOperations, 60);
    assert.equal(summary.provisioning.complete, true);
    assert.equal(code, summary.provisioning.outcomes.every((o) => o.status !== 'failure') ? 0 : 1);
    assert.match(x.err(), /batch 1: 50 record\(s\) accepted/);
    assert.match(x.err(), /5–10 minutes/);
    // Resume over a finished journal: nothing is sent again.
    const y = io(env);
    assert.equal(await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl(), '--limit', '60', '--resume', journal], y), 0, y.err());
    assert.match(y.out(), /accepted\s+0 \(\+60 accepted by the interrupted run\)/);
    assert.equal(s.stats.acceptedOperations, 60);
    // Resume against another endpoint is refused (usage error).
    const z = io(env);
    assert.equal(await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl('API2AAD.other'), '--resume', journal], z), 2);
    assert.match(z.err(), /cannot resume/);
  } finally {
    await s.close();
  }
});

test('upload command: usage errors exit 2 with one line; dry run needs no credentials', { skip: !existsSync(MAPPING) }, async () => {
  const a = io();
  assert.equal(await runCli(['upload', MAPPING, '--endpoint', 'https://evil.example.com/v1.0/servicePrincipals/a/synchronization/jobs/b/bulkUpload'], a), 2);
  assert.match(a.err(), /not a Microsoft Graph host/);
  const b = io();
  assert.equal(await runCli(['upload', MAPPING, '--endpoint', 'http://127.0.0.1:9/v1.0/servicePrincipals/a/synchronization/jobs/b/bulkUpload'], b), 2);
  assert.match(b.err(), /no credentials/);
  assert.equal(await runCli(['upload', MAPPING], io()), 2);
  assert.equal(await runCli(['upload', MAPPING, '--endpoint', 'x', '--format', 'xml'], io()), 2);
  const d = io();
  const code = await runCli(['upload', MAPPING, '--dry-run', '--limit', '10'], d);
  assert.match(d.out(), /Dry run: \d+ record\(s\) in 1 request\(s\)/);
  assert.ok(code === 0 || code === 1);
});
