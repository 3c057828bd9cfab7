/** Shared by the sync tests: an HR export written as CSV, the CLI run in process, the stand-in's logs. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { DEFAULT_JOB_ID, type StandIn } from '../../../src/targets/entra/standin';
import { tempDir as newTempDir } from '../../tempDirs';

export interface Person {
  id: string;
  login: string;
  name: string;
}

export function people(n: number, start = 1): Person[] {
  return Array.from({ length: n }, (_, k) => {
    const i = start + k;
    const id = `E${String(i).padStart(4, '0')}`;
    return { id, login: `user${i}`, name: `Person ${i}` };
  });
}

export function writeExport(file: string, rows: Person[]): void {
  fs.writeFileSync(file, `id,login,name\n${rows.map((p) => `${p.id},${p.login},${p.name}`).join('\n')}\n`);
}

/** `userName` fails the mapping (an $error) when the login is empty. */
export function mappingText(extra = ''): string {
  return [
    'scimmap: 1',
    'source:',
    '  sample: people.csv',
    '  key: id',
    'target: entra',
    'mappings:',
    '  externalId: id',
    '  userName: \'login = "" ? $error("no login") : login & "@contoso.com"\'',
    '  displayName: name',
    '  active: true',
    extra,
  ].join('\n') + '\n';
}

export function tempDir(): string {
  return newTempDir('scimmap-sync-');
}

export async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(args, { stdout, stderr, env, cwd });
  return { code, out, err };
}

export interface LogEntry {
  provisioningAction: string;
  sourceIdentity: { id: string };
  modifiedProperties: Array<{ displayName: string; newValue: string | null }>;
}

/** Every provisioning-log entry of the default job, oldest first. */
export async function provisioningLogs(standIn: StandIn): Promise<LogEntry[]> {
  standIn.flushLogs();
  const token = standIn.issueToken();
  const out: LogEntry[] = [];
  let url: string | undefined = `${standIn.url}/v1.0/auditLogs/provisioning?$filter=${encodeURIComponent(`jobId eq '${DEFAULT_JOB_ID}'`)}&$top=500`;
  for (let page = 0; url && page < 100; page++) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { value: LogEntry[]; '@odata.nextLink'?: string };
    out.push(...body.value);
    url = body['@odata.nextLink'];
  }
  return out.reverse();
}

/** Sum of the stand-in's accepted-operation counts. */
export function acceptedOps(standIn: StandIn): number {
  return [...standIn.stats.acceptedByExternalId.values()].reduce((n, c) => n + c, 0);
}
