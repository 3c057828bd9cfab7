import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/io';
import { startStandIn } from '../../../src/targets/entra/standin';
import { standInOptionsFromArgs } from '../../../src/cli/commands/standIn';
import { tempDir } from '../../tempDirs';

const MAPPING = join(process.cwd(), 'samples/custom-hr/custom-hr.scimmap.yaml');

function io(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: new PassThrough().on('data', (d) => (out += d)),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env,
    cwd: tempDir('scimmap-cli-'),
    signal,
    out: () => out,
    err: () => err,
  };
}

test('stand-in command: a free port by default, a generated secret in a 0600 file (not on stdout), usable by upload', { skip: !existsSync(MAPPING) }, async () => {
  const ac = new AbortController();
  const state = tempDir('scimmap-state-');
  const x = io({ XDG_STATE_HOME: state }, ac.signal);
  const running = runCli(['stand-in', '--log-delay', '0', '--verified-domain', 'tailspintoys.com', '--quiet', '--fault-storm', '1:0'], x);
  for (let i = 0; i < 250 && !x.out().includes('Ctrl+C'); i++) await new Promise((r) => setTimeout(r, 20));
  const endpoint = /bulkUpload\s+(\S+)/.exec(x.out())![1]!;
  assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+\/beta\/servicePrincipals\/.+\/bulkUpload$/);
  assert.notEqual(new URL(endpoint).port, '8400', 'no fixed default port');
  const secretFile = /SCIMMAP_CLIENT_SECRET_FILE=(\S+)/.exec(x.out())![1]!;
  assert.equal(secretFile, join(state, 'scimmap', 'stand-in', `${new URL(endpoint).port}.secret`));
  const secret = readFileSync(secretFile, 'utf8').trim();
  assert.ok(secret.length >= 24);
  assert.ok(!x.out().includes(secret) && !x.err().includes(secret), 'the secret is printed nowhere');
  if (process.platform !== 'win32') assert.equal(statSync(secretFile).mode & 0o777, 0o600);
  assert.equal((await fetch(endpoint, { method: 'POST' })).status, 401);
  // The printed recipe works: upload with the file, and a made-up secret is refused.
  const env = { SCIMMAP_TENANT_ID: 'standin', SCIMMAP_CLIENT_ID: 'standin-app', XDG_STATE_HOME: state };
  const ok = io({ ...env, SCIMMAP_CLIENT_SECRET_FILE: secretFile });
  assert.equal(await runCli(['upload', MAPPING, '--endpoint', endpoint, '--limit', '3'], ok), 0, ok.err());
  const bad = io({ ...env, SCIMMAP_CLIENT_SECRET: 'made-up-secret-123' });
  assert.equal(await runCli(['upload', MAPPING, '--endpoint', endpoint, '--limit', '3'], bad), 1);
  assert.match(bad.out() + bad.err(), /sign-in failed/);
  ac.abort();
  assert.equal(await running, 0);
  assert.equal(existsSync(secretFile), false, 'the generated secret is deleted when the stand-in stops');
  assert.equal(await runCli(['stand-in', '--host', '0.0.0.0'], io()), 2);
  assert.equal(await runCli(['stand-in', '--fault-5xx', '2'], io()), 2);
});

test('stand-in command: --client-secret is gone (argv is visible to other users); --client-secret-file and the environment work', async () => {
  const e = io();
  assert.equal(await runCli(['stand-in', '--client-secret', 'S3cret-on-argv'], e), 2);
  assert.match(e.err(), /--client-secret was removed.*--client-secret-file/);
  assert.ok(!e.err().includes('S3cret-on-argv'));
  const dir = tempDir('scimmap-cli-');
  writeFileSync(join(dir, 'secret'), 'From-File-Secret-9\n');
  const fromFile = standInOptionsFromArgs(['--client-secret-file', join(dir, 'secret'), '--client-id', 'my-app']);
  assert.deepEqual(fromFile.clients, [{ clientId: 'my-app', clientSecret: 'From-File-Secret-9' }]);
  assert.equal(fromFile.secretSource, 'file');
  const fromEnv = standInOptionsFromArgs([], { SCIMMAP_STANDIN_CLIENT_SECRET: 'From-Env-Secret-9' });
  assert.deepEqual(fromEnv.clients, [{ clientId: 'standin-app', clientSecret: 'From-Env-Secret-9' }]);
  const generated = standInOptionsFromArgs([]);
  assert.equal(generated.secretSource, 'generated');
  assert.notEqual(generated.clientSecret, standInOptionsFromArgs([]).clientSecret);
  assert.equal(generated.port, 0);
});

test('upload command: the default journal goes to the state directory; an explicit --journal inside a git work tree warns', { skip: !existsSync(MAPPING) }, async () => {
  const s = await startStandIn({ verifiedDomains: ['tailspintoys.com'] });
  try {
    const state = tempDir('scimmap-state-');
    const env = { SCIMMAP_TOKEN: s.issueToken(), XDG_STATE_HOME: state };
    const a = io(env);
    assert.equal(await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl(), '--limit', '2'], a), 0, a.err());
    assert.match(a.err(), new RegExp(`journal: ${join(state, 'scimmap', 'uploads').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.doesNotMatch(a.err(), /warning: the journal/);
    const b = io(env);
    mkdirSync(join(b.cwd, '.git'));
    assert.equal(await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl(), '--limit', '2', '--journal', 'run.jsonl'], b), 0, b.err());
    assert.match(b.err(), /warning: the journal .*run\.jsonl is inside the git work tree/);
  } finally {
    await s.close();
  }
});

test('upload command: end to end against the stand-in, json summary, --wait results, resume, exit codes', { skip: !existsSync(MAPPING) }, async () => {
  const s = await startStandIn({ verifiedDomains: ['tailspintoys.com'] });
  try {
    const env = { SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET: 'cli-secret-xyz', XDG_STATE_HOME: tempDir('scimmap-state-') };
    const x = io(env);
    const journal = join(x.cwd, 'run.jsonl');
    const code = await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl(), '--limit', '60', '--wait', '--poll-interval', '1', '--format', 'json', '--journal', journal], x);
    const summary = JSON.parse(x.out()) as { totals: { accepted: number }; provisioning: { complete: boolean; outcomes: Array<{ status: string }> } };
    assert.equal(summary.totals.accepted, 60, x.err());
    assert.equal(s.stats.acceptedOperations, 60);
    assert.equal(summary.provisioning.complete, true);
    assert.equal(code, summary.provisioning.outcomes.every((o) => o.status !== 'failure') ? 0 : 1);
    assert.match(x.err(), /batch 1: 50 record\(s\) accepted/);
    assert.doesNotMatch(x.err(), /5–10 minutes/, 'the stand-in logs at once: no lag notice');
    // The per-record list and the totals (the same engine function the results view uses).
    const results = (JSON.parse(x.out()) as { results: { totals: { records: number; failed: number; created: number; accepted: number; byCode: { code: string; count: number }[] }; records: { externalId: string; outcome: string; code?: string }[] } }).results;
    assert.equal(results.records.length, 60);
    assert.equal(results.totals.accepted, 60);
    assert.equal(results.totals.failed, results.records.filter((r) => r.outcome === 'failed').length);
    assert.equal(results.totals.created + results.totals.failed, 60);
    assert.ok(results.totals.failed > 0, 'managers outside the first 60 records cannot be resolved');
    assert.deepEqual(results.totals.byCode.map((c) => [c.code, c.count]), [['UnableToResolveReferenceAttributeValue', results.totals.failed]]);
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

test('upload --wait prints what Entra did: headline, action × status, each error code once with its reason', { skip: !existsSync(MAPPING) }, async () => {
  const s = await startStandIn({ verifiedDomains: ['tailspintoys.com'] });
  try {
    const x = io({ SCIMMAP_TENANT_ID: 't', SCIMMAP_CLIENT_ID: 'c', SCIMMAP_CLIENT_SECRET: 'cli-secret-xyz' });
    const code = await runCli(['upload', MAPPING, '--endpoint', s.endpointUrl(), '--limit', '40', '--wait', '--poll-interval', '1', '--journal', join(x.cwd, 'run.jsonl')], x);
    const out = x.out();
    const m = /^Provisioning: (\d+) created · (\d+) failed — 40 of 40 accepted by the API$/m.exec(out);
    assert.ok(m, out);
    assert.equal(Number(m[1]) + Number(m[2]), 40);
    assert.ok(Number(m[2]) > 0);
    assert.equal(code, 1, 'failed provisioning exits 1');
    assert.match(out, new RegExp(`^    create/success: ${m[1]}$`, 'm'));
    assert.match(out, new RegExp(`^    create/failure: ${m[2]}$`, 'm'));
    assert.match(out, new RegExp(`^    UnableToResolveReferenceAttributeValue ×${m[2]}$`, 'm'));
    assert.equal(out.match(/recommended action:/g)?.length, 1, 'the reason and recommended action appear once per code');
    assert.equal(out.match(/^  E\d+  create  UnableToResolveReferenceAttributeValue$/gm)?.length, Number(m[2]));
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
