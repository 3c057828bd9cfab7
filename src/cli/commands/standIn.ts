/** `scimmap stand-in`: the local Entra stand-in, for rehearsing uploads without a tenant. */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CliIO, Command, EXIT_OK, UsageError } from '../io';
import { DEFAULT_JOB_ID, startStandIn, StandInFaults, StandInOptions } from '../../targets/entra/standin';
import { AuthError, cliStateDirectory, ensurePrivateDir, readSecretFile, registerSecret } from '../../targets/entra/upload';

/** The stand-in's client id when --client-id is not given. */
export const STAND_IN_CLIENT_ID = 'standin-app';

const HELP = `Usage: scimmap stand-in [options]

Runs a local stand-in for Microsoft Entra API-driven provisioning (token endpoint, bulkUpload, provisioning logs)
on a loopback address until interrupted (Ctrl+C). Nothing leaves the machine.

Options:
  --port N                 port to listen on (default 0: a free port, printed)
  --host HOST              127.0.0.1 (default), localhost or ::1 — loopback only
  --log-delay SEC          provisioning-log entries appear SEC seconds after an upload (default 0; Entra: 300–600)
  --verified-domain D      a verified domain for userName (repeatable; default contoso.com; '*' = any)
  --token-lifetime SEC     lifetime of issued tokens (default 3600)
  --rate N/SEC             bulkUpload calls allowed per window (default 40/5)
  --daily-limit N          bulkUpload calls per 24 h (default 2000)
  --retry-after SEC|auto|none   Retry-After on 429 (default auto)
  --client-id ID           the one client accepted (default standin-app)
  --client-secret-file F   its secret, read from file F (first line); or set SCIMMAP_STANDIN_CLIENT_SECRET.
                           Neither: a secret is generated and written to a 0600 file in the state directory
                           ($XDG_STATE_HOME/scimmap/stand-in/<port>.secret), deleted when the stand-in stops.
                           Secrets are never taken from the command line (other users can read it).
  --seed N                 seed for the fault switches (default 1)
  --fault-5xx RATE         share of bulkUpload calls answered 500/503 (0..1)
  --fault-drop RATE        share of bulkUpload connections dropped before they are accepted (0..1)
  --fault-429 RATE         share of bulkUpload calls throttled at random (0..1)
  --fault-storm AFTER:COUNT  after AFTER calls, throttle the next COUNT calls
  --fault-token-expiry SEC tokens stop working SEC seconds after issue (tests token refresh)
  --quiet                  no per-request log lines
`;

function num(name: string, v: string | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name}: expected a number between ${min} and ${max}, got '${v}'`);
  return n;
}

export interface StandInCliOptions extends StandInOptions {
  quiet: boolean;
  clientId: string;
  clientSecret: string;
  /** Where the secret came from; 'generated' means it is written to a file once the port is known. */
  secretSource: 'file' | 'environment' | 'generated';
}

export function standInOptionsFromArgs(args: string[], env: NodeJS.ProcessEnv = {}): StandInCliOptions {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'log-delay': { type: 'string' },
        'verified-domain': { type: 'string', multiple: true },
        'token-lifetime': { type: 'string' },
        rate: { type: 'string' },
        'daily-limit': { type: 'string' },
        'retry-after': { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret-file': { type: 'string' },
        seed: { type: 'string' },
        'fault-5xx': { type: 'string' },
        'fault-drop': { type: 'string' },
        'fault-429': { type: 'string' },
        'fault-storm': { type: 'string' },
        'fault-token-expiry': { type: 'string' },
        quiet: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    const message = (e as Error).message;
    // Say why rather than "unknown option": the secret must not be typed where `ps` shows it.
    if (/--client-secret\b(?!-file)/.test(message)) throw new UsageError('--client-secret was removed: secrets on the command line are visible to other users; use --client-secret-file FILE or SCIMMAP_STANDIN_CLIENT_SECRET');
    throw new UsageError(message);
  }
  const s = (k: string): string | undefined => values[k] as string | undefined;
  const host = s('host') ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new UsageError(`--host: the stand-in listens on loopback only (127.0.0.1, localhost, ::1), not '${host}'`);
  let rateLimit: StandInOptions['rateLimit'];
  if (s('rate')) {
    const m = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(s('rate')!);
    if (!m) throw new UsageError(`--rate: expected N/SEC such as 40/5, got '${s('rate')}'`);
    rateLimit = { maxCalls: Number(m[1]), windowMs: Number(m[2]) * 1000 };
  }
  let retryAfterSec: StandInOptions['retryAfterSec'];
  const ra = s('retry-after');
  if (ra !== undefined) retryAfterSec = ra === 'none' ? null : ra === 'auto' ? 'auto' : num('retry-after', ra, 0);
  const faults: StandInFaults = {
    seed: num('seed', s('seed')),
    serverErrorRate: num('fault-5xx', s('fault-5xx'), 0, 1),
    dropRate: num('fault-drop', s('fault-drop'), 0, 1),
    throttleRate: num('fault-429', s('fault-429'), 0, 1),
    tokenExpiryAfterSec: num('fault-token-expiry', s('fault-token-expiry'), 1),
  };
  if (s('fault-storm')) {
    const m = /^(\d+):(\d+)$/.exec(s('fault-storm')!);
    if (!m) throw new UsageError(`--fault-storm: expected AFTER:COUNT such as 10:20, got '${s('fault-storm')}'`);
    faults.throttleStorm = { afterCalls: Number(m[1]), count: Number(m[2]) };
  }
  let clientSecret: string;
  let secretSource: StandInCliOptions['secretSource'];
  if (s('client-secret-file')) {
    try {
      clientSecret = readSecretFile(s('client-secret-file')!, '--client-secret-file');
    } catch (e) {
      throw new UsageError((e as AuthError).message);
    }
    secretSource = 'file';
  } else if (env.SCIMMAP_STANDIN_CLIENT_SECRET?.trim()) {
    clientSecret = env.SCIMMAP_STANDIN_CLIENT_SECRET.trim();
    secretSource = 'environment';
  } else {
    clientSecret = randomBytes(24).toString('base64url');
    secretSource = 'generated';
  }
  registerSecret(clientSecret);
  const clientId = s('client-id') ?? STAND_IN_CLIENT_ID;
  const logDelay = num('log-delay', s('log-delay'), 0);
  return {
    port: num('port', s('port'), 0, 65535) ?? 0,
    host,
    logDelayMs: logDelay === undefined ? undefined : logDelay * 1000,
    verifiedDomains: values['verified-domain'] as string[] | undefined,
    tokenLifetimeSec: num('token-lifetime', s('token-lifetime'), 1),
    rateLimit,
    dailyLimit: num('daily-limit', s('daily-limit'), 1),
    retryAfterSec,
    clients: [{ clientId, clientSecret }],
    clientId,
    clientSecret,
    secretSource,
    faults,
    quiet: values.quiet === true,
  };
}

/** Writes a generated secret to `<state>/stand-in/<port>.secret` (0600, in a 0700 directory); returns the path. */
function writeSecretFile(stateDir: string, port: number, secret: string): string {
  const dir = ensurePrivateDir(join(ensurePrivateDir(stateDir), 'stand-in'));
  const path = join(dir, `${port}.secret`);
  rmSync(path, { force: true }); // a file left by a stand-in that was killed: replaced, never appended to
  const fd = openSync(path, 'wx', 0o600);
  try {
    if (process.platform !== 'win32') fchmodSync(fd, 0o600);
    writeSync(fd, `${secret}\n`);
  } finally {
    closeSync(fd);
  }
  return path;
}

export const standInCommand: Command = {
  name: 'stand-in',
  summary: 'run a local Entra stand-in (token endpoint, bulkUpload, provisioning logs) to rehearse uploads',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const { quiet, clientId, clientSecret, secretSource, ...options } = standInOptionsFromArgs(args, io.env);
    if (!quiet) options.log = (line) => io.stderr.write(`${new Date().toISOString()} ${line}\n`);
    let s;
    try {
      s = await startStandIn(options);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new UsageError(`port ${options.port} is in use; pass --port 0 for any free port`);
      throw new UsageError((e as Error).message);
    }
    const endpoint = s.endpointUrl(DEFAULT_JOB_ID);
    let secretFile: string | undefined;
    try {
      if (secretSource === 'generated') secretFile = writeSecretFile(cliStateDirectory(io.env), new URL(s.url).port ? Number(new URL(s.url).port) : 0, clientSecret);
    } catch (e) {
      await s.close();
      throw new UsageError(`cannot write the generated client secret: ${(e as Error).message}`);
    }
    const secretEnv =
      secretSource === 'generated' ? `SCIMMAP_CLIENT_SECRET_FILE=${secretFile}` : secretSource === 'file' ? `SCIMMAP_CLIENT_SECRET_FILE=<the --client-secret-file>` : 'SCIMMAP_CLIENT_SECRET=<SCIMMAP_STANDIN_CLIENT_SECRET>';
    io.stdout.write(
      [
        `SCIM Mapper Entra stand-in listening on ${s.url}`,
        `  token endpoint      ${s.tokenUrl}`,
        `  bulkUpload          ${endpoint}`,
        `  provisioning logs   ${s.url}/beta/auditLogs/provisioning`,
        `  verified domains    ${(options.verifiedDomains ?? ['contoso.com']).join(', ')}`,
        `  log delay           ${(options.logDelayMs ?? 0) / 1000} s`,
        `  client              ${clientId}, secret ${secretFile ? `generated, in ${secretFile} (0600; deleted on stop)` : `from ${secretSource === 'file' ? '--client-secret-file' : 'SCIMMAP_STANDIN_CLIENT_SECRET'}`}`,
        '',
        'Upload to it (any job id works in the URL; only this client and secret are accepted):',
        `  SCIMMAP_TENANT_ID=standin SCIMMAP_CLIENT_ID=${clientId} ${secretEnv} \\`,
        `  scimmap upload <mapping> --endpoint ${endpoint} --wait`,
        '',
        'Press Ctrl+C to stop.',
        '',
      ].join('\n'),
    );
    await new Promise<void>((resolve) => {
      if (!io.signal) return; // no signal: run until the process ends
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await s.close();
    if (secretFile) rmSync(secretFile, { force: true });
    io.stderr.write('stand-in stopped\n');
    return EXIT_OK;
  },
};
