/** `scimmap stand-in`: the local Entra stand-in, for rehearsing uploads without a tenant. */
import { parseArgs } from 'node:util';
import { CliIO, Command, EXIT_OK, UsageError } from '../io';
import { DEFAULT_JOB_ID, startStandIn, StandInFaults, StandInOptions } from '../../targets/entra/standin';

const HELP = `Usage: scimmap stand-in [options]

Runs a local stand-in for Microsoft Entra API-driven provisioning (token endpoint, bulkUpload, provisioning logs)
on a loopback address until interrupted (Ctrl+C). Nothing leaves the machine.

Options:
  --port N                 port to listen on (default 8400; 0 = any free port)
  --host HOST              127.0.0.1 (default), localhost or ::1 — loopback only
  --log-delay SEC          provisioning-log entries appear SEC seconds after an upload (default 0; Entra: 300–600)
  --verified-domain D      a verified domain for userName (repeatable; default contoso.com; '*' = any)
  --token-lifetime SEC     lifetime of issued tokens (default 3600)
  --rate N/SEC             bulkUpload calls allowed per window (default 40/5)
  --daily-limit N          bulkUpload calls per 24 h (default 2000)
  --retry-after SEC|auto|none   Retry-After on 429 (default auto)
  --client-id ID --client-secret S   accept only this client (default: any client id and secret)
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

export function standInOptionsFromArgs(args: string[]): StandInOptions & { quiet: boolean } {
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
        'client-secret': { type: 'string' },
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
    throw new UsageError((e as Error).message);
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
  if (!!s('client-id') !== !!s('client-secret')) throw new UsageError('--client-id and --client-secret go together');
  const logDelay = num('log-delay', s('log-delay'), 0);
  return {
    port: num('port', s('port'), 0, 65535) ?? 8400,
    host,
    logDelayMs: logDelay === undefined ? undefined : logDelay * 1000,
    verifiedDomains: values['verified-domain'] as string[] | undefined,
    tokenLifetimeSec: num('token-lifetime', s('token-lifetime'), 1),
    rateLimit,
    dailyLimit: num('daily-limit', s('daily-limit'), 1),
    retryAfterSec,
    clients: s('client-id') ? [{ clientId: s('client-id')!, clientSecret: s('client-secret') }] : undefined,
    faults,
    quiet: values.quiet === true,
  };
}

export const standInCommand: Command = {
  name: 'stand-in',
  summary: 'run a local Entra stand-in (token endpoint, bulkUpload, provisioning logs) to rehearse uploads',
  help: HELP,
  async run(args: string[], io: CliIO): Promise<number> {
    const { quiet, ...options } = standInOptionsFromArgs(args);
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
    const clientId = options.clients?.[0]?.clientId ?? 'standin-app';
    io.stdout.write(
      [
        `SCIM Mapper Entra stand-in listening on ${s.url}`,
        `  token endpoint      ${s.tokenUrl}`,
        `  bulkUpload          ${endpoint}`,
        `  provisioning logs   ${s.url}/beta/auditLogs/provisioning`,
        `  verified domains    ${(options.verifiedDomains ?? ['contoso.com']).join(', ')}`,
        `  log delay           ${(options.logDelayMs ?? 0) / 1000} s`,
        '',
        'Upload to it (any job id works in the URL):',
        `  SCIMMAP_TENANT_ID=standin SCIMMAP_CLIENT_ID=${clientId} SCIMMAP_CLIENT_SECRET=<${options.clients ? 'the --client-secret' : 'anything'}> \\`,
        `  SCIMMAP_AUTHORITY_HOST=${s.authorityHost} scimmap upload <mapping> --endpoint ${endpoint} --wait`,
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
    io.stderr.write('stand-in stopped\n');
    return EXIT_OK;
  },
};
