/**
 * The local Entra stand-in: a token endpoint, bulkUpload and provisioning logs over node `http`, loopback only.
 * Users rehearse uploads without a tenant; tests use its fault switches and its `stats` to prove exactly-once
 * delivery. Where Microsoft documents nothing (error bodies, Retry-After on 429, `or` in log filters) the behaviour
 * is an option.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FilterError, matches, parseFilter } from './filter';
import { JobState, JobStatusCode, PendingOperation, processOperation } from './processing';
import { defaultAppSchema } from '../app/defaultSchema';
import { AppSchemaError, checkAppSchema, SynchronizationSchema } from '../app/schema';
import { seededRandom } from './rng';

const BULK_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const CORE_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const UPLOAD_ROLES = ['SynchronizationData-User.Upload', 'SynchronizationData-User.Upload.OwnedBy'];
export const LOG_ROLES = ['AuditLog.Read.All', 'ProvisioningLog.Read.All'];
/** Reading the app's schema and job; writing them (PUT schema, start, pause, restart). */
export const SYNC_READ_ROLES = ['Synchronization.Read.All', 'Synchronization.ReadWrite.All'];
export const SYNC_WRITE_ROLES = ['Synchronization.ReadWrite.All'];
export const ALL_ROLES = [...UPLOAD_ROLES, ...LOG_ROLES, ...SYNC_WRITE_ROLES];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export interface StandInClient {
  clientId: string;
  /** Accepted secret; absent means a client assertion (certificate) is required. */
  clientSecret?: string;
  /** Application roles granted to this client's tokens (default: all upload and log roles). */
  roles?: string[];
}

export interface StandInFaults {
  /** Seed for every random fault decision (reproducible runs). Default 1. */
  seed?: number;
  /** Probability that a bulkUpload call gets 500/503 (before it is accepted). */
  serverErrorRate?: number;
  /**
   * Probability that a bulkUpload connection is dropped mid-request, after the headers and before the body was
   * read, i.e. before anything was accepted. The client sees a network error and may safely re-send.
   */
  dropRate?: number;
  /**
   * Probability that the connection is dropped right after the batch was accepted (no response). Real networks
   * can do this; the client cannot tell, re-sends, and the records are processed again as updates.
   */
  dropAfterAcceptRate?: number;
  /** Random 429s at this rate. */
  throttleRate?: number;
  /** A storm: after `afterCalls` bulkUpload calls, the next `count` calls all get 429. */
  throttleStorm?: { afterCalls: number; count: number };
  /** Tokens stop being accepted this many seconds after issue, while `expires_in` still promises the full lifetime. */
  tokenExpiryAfterSec?: number;
  /**
   * Tokens stop being accepted after this many authorized requests (the same surprise expiry, independent of how
   * fast the machine is: tests that must see refreshes use this rather than a wall-clock expiry).
   */
  tokenExpiryAfterCalls?: number;
}

export interface StandInOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default), localhost or ::1. */
  host?: string;
  /** Tenant id used in `tokenUrl` (any tenant path is accepted). */
  tenantId?: string;
  /** Lifetime of issued tokens (expires_in), seconds. Default 3600. */
  tokenLifetimeSec?: number;
  /** Provisioning-log entries appear this long after acceptance. Default 0 (Entra: 5–10 minutes). */
  logDelayMs?: number;
  /** Verified domains for userName; '*' accepts any. Default contoso.com. */
  verifiedDomains?: string[];
  /** bulkUpload calls per sliding window. Default 40 per 5000 ms. */
  rateLimit?: { maxCalls: number; windowMs: number };
  /** bulkUpload calls per `dailyWindowMs` (default 2000 per 24 h, Entra ID P1/P2). */
  dailyLimit?: number;
  dailyWindowMs?: number;
  /** Retry-After on 429: 'auto' (default, seconds until a call is allowed again), a fixed number of seconds, or null for none. */
  retryAfterSec?: number | 'auto' | null;
  /** Registered clients; when empty any client id and secret/assertion is accepted with all roles. */
  clients?: StandInClient[];
  /** Accept `or` and parentheses in provisioning-log filters (UNDOCUMENTED upstream). Default true. */
  allowOrInFilter?: boolean;
  /** Error code logged for an unverified userName domain (UNDOCUMENTED upstream). */
  unverifiedDomainErrorCode?: string;
  /** Largest accepted request body, bytes. Default 5 MB (UNDOCUMENTED upstream). */
  maxBodyBytes?: number;
  /** The provisioning app's schema every job starts with. Default: the API-driven app's default (app/defaultSchema.ts). */
  appSchema?: SynchronizationSchema;
  /** Status every job starts in. Default Active; Paused and Quarantine stage uploads without processing them. */
  jobStatus?: JobStatusCode;
  faults?: StandInFaults;
  /** One line per request (method, path, status) — never headers or bodies. */
  log?: (line: string) => void;
}

export interface StandInStats {
  /** bulkUpload calls received (any outcome). */
  requests: number;
  /** 202 responses (and accepted-then-dropped requests). */
  acceptedRequests: number;
  acceptedOperations: number;
  /** How many times each externalId was accepted, to prove exactly-once delivery. */
  acceptedByExternalId: Map<string, number>;
  /** bulkUpload responses by status code ('dropped' for injected connection drops). */
  responses: Record<string, number>;
  tokensIssued: number;
  /** Requests refused before routing: a foreign Host name, or an `Origin` header (a web page). */
  refused: number;
  /** `METHOD path` of every request, in order (capped at 100,000). */
  requestLog: string[];
}

export interface StandIn {
  /** Base URL, e.g. http://127.0.0.1:54321 */
  url: string;
  /** Client-credentials token endpoint for `tenantId`. */
  tokenUrl: string;
  /** The authority host to give msal (SCIMMAP_AUTHORITY_HOST). */
  authorityHost: string;
  endpointUrl(jobId?: string, opts?: { version?: 'v1.0' | 'beta'; servicePrincipalId?: string }): string;
  stats: StandInStats;
  /** Issues a token directly (for SCIMMAP_TOKEN-style tests). */
  issueToken(opts?: { roles?: string[]; lifetimeSec?: number }): string;
  /** Replaces the fault switches (random stream restarts from the new seed). */
  setFaults(faults: StandInFaults): void;
  /** Users the job holds, by externalId. */
  users(jobId: string): JobState['users'];
  /** The job's current provisioning app schema (what GET …/schema returns). */
  appSchema(jobId?: string): SynchronizationSchema;
  /** Pauses, quarantines or resumes a job (Active processes what was staged while it was not). */
  setJobStatus(status: JobStatusCode, jobId?: string): void;
  /** Every token issued so far (tests search outputs for them). */
  issuedTokens(): string[];
  /** Makes every pending log entry visible now, regardless of the delay. */
  flushLogs(): void;
  resetStats(): void;
  close(): Promise<void>;
}

export const DEFAULT_JOB_ID = 'API2AAD.0123456789abcdef0123456789abcdef.00000000-0000-0000-0000-000000000001';
export const DEFAULT_SP_ID = '00000000-0000-0000-0000-0000000000aa';

interface TokenInfo {
  roles: string[];
  expiresAt: number;
  /** Authorized requests made with it (for faults.tokenExpiryAfterCalls). */
  uses: number;
}

function graphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const requestId = String(res.getHeader('request-id') ?? randomUUID());
  const body = JSON.stringify({
    error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': requestId, 'client-request-id': String(res.getHeader('client-request-id') ?? requestId) } },
  });
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(body);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Host names a request to the stand-in may carry (with the listening port): loopback only. */
const LOOPBACK_HOST_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * DNS rebinding and browser guard. A web page can make the browser send requests to 127.0.0.1 (through a name that
 * resolves there, or directly); such requests carry the page's host name in `Host` and, for anything but a
 * simple navigation, an `Origin` header. Our clients (msal through the loopback network client, the upload engine,
 * curl) send neither a foreign Host nor an Origin. Exported for tests.
 */
export function foreignRequest(req: Pick<IncomingMessage, 'headers'>, port: number): { status: number; why: string } | undefined {
  if (req.headers.origin !== undefined) return { status: 403, why: 'refused: requests with an Origin header (from a web page) are not accepted by the stand-in' };
  const host = req.headers.host;
  if (!host) return { status: 400, why: 'refused: the request has no Host header' };
  const allowed = LOOPBACK_HOST_NAMES.map((h) => `${h}:${port}`);
  if (!allowed.includes(host.toLowerCase())) return { status: 421, why: `refused: the stand-in answers only ${allowed.join(', ')}, not Host '${host.slice(0, 100)}'` };
  return undefined;
}

export async function startStandIn(opts: StandInOptions = {}): Promise<StandIn> {
  const host = opts.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`the stand-in listens on loopback only (127.0.0.1, localhost or ::1), not '${host}'`);
  const tenantId = opts.tenantId ?? '00000000-0000-0000-0000-00000000000t';
  const lifetime = opts.tokenLifetimeSec ?? 3600;
  const rate = opts.rateLimit ?? { maxCalls: 40, windowMs: 5000 };
  const dailyLimit = opts.dailyLimit ?? 2000;
  const dailyWindowMs = opts.dailyWindowMs ?? 24 * 3600_000;
  const retryAfterCfg = opts.retryAfterSec === undefined ? 'auto' : opts.retryAfterSec;
  const processingCfg = {
    verifiedDomains: opts.verifiedDomains ?? ['contoso.com'],
    unverifiedDomainErrorCode: opts.unverifiedDomainErrorCode ?? 'InvalidDomainName',
  };
  let faults: StandInFaults = opts.faults ?? {};
  let rnd = seededRandom(faults.seed ?? 1);
  const tokens = new Map<string, TokenInfo>();
  const windowCalls: number[] = [];
  const dailyCalls: number[] = [];
  let bulkCalls = 0;
  const jobs = new Map<string, JobState>();
  const pending: Array<PendingOperation & { visibleAt: number; version: string }> = [];
  const logs: Array<Record<string, unknown> & { _seq: number }> = [];
  let logSeq = 0;
  const newStats = (): StandInStats => ({ requests: 0, acceptedRequests: 0, acceptedOperations: 0, acceptedByExternalId: new Map(), responses: {}, tokensIssued: 0, refused: 0, requestLog: [] });
  const stats = newStats();
  let base = '';
  let port = 0;

  const job = (id: string): JobState => {
    let j = jobs.get(id);
    if (!j) {
      j = { users: new Map(), known: new Set(), schema: structuredClone(opts.appSchema ?? defaultAppSchema()), status: opts.jobStatus ?? 'Active' };
      jobs.set(id, j);
    }
    return j;
  };

  const issueToken = (roles: string[], lifetimeSec = lifetime): string => {
    const t = `sti_${randomBytes(24).toString('base64url')}`;
    const realLife = faults.tokenExpiryAfterSec !== undefined ? Math.min(lifetimeSec, faults.tokenExpiryAfterSec) : lifetimeSec;
    tokens.set(t, { roles, expiresAt: Date.now() + realLife * 1000, uses: 0 });
    stats.tokensIssued++;
    return t;
  };

  /** Processes due operations in order; a paused or quarantined job keeps its operations staged. */
  const drainDue = (force = false): void => {
    const now = Date.now();
    let i = 0;
    while (i < pending.length && (force || pending[i]!.visibleAt <= now)) {
      const p = pending[i]!;
      const j = job(p.jobId);
      if (j.status !== 'Active') {
        i++;
        continue;
      }
      pending.splice(i, 1);
      const at = new Date(force ? now : Math.max(p.visibleAt, j.resumedAt ?? 0));
      const entry = processOperation(j, p, processingCfg, at);
      j.lastExecution = { timeBegan: at.toISOString(), timeEnded: at.toISOString(), state: 'Succeeded' };
      if (p.version === 'beta') entry.statusInfo = entry.provisioningStatusInfo;
      logs.push({ ...entry, _seq: logSeq++ });
    }
  };

  /** 401/403 checks shared by bulkUpload and logs; returns the token's roles or undefined when it answered. */
  const authorize = (req: IncomingMessage, res: ServerResponse, needed: string[]): string[] | undefined => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const www = { 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"' };
    if (!m) {
      graphError(res, 401, 'InvalidAuthenticationToken', 'Access token is empty.', www);
      return undefined;
    }
    const info = tokens.get(m[1]!);
    if (!info) {
      graphError(res, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid token.', www);
      return undefined;
    }
    if (info.expiresAt <= Date.now() || (faults.tokenExpiryAfterCalls !== undefined && info.uses >= faults.tokenExpiryAfterCalls)) {
      graphError(res, 401, 'InvalidAuthenticationToken', 'Access token has expired or is not yet valid.', www);
      return undefined;
    }
    info.uses++;
    if (!needed.some((r) => info.roles.includes(r))) {
      graphError(res, 403, 'Authorization_RequestDenied', `Insufficient privileges to complete the operation. Requires one of: ${needed.join(', ')}.`);
      return undefined;
    }
    return info.roles;
  };

  const retryAfterHeader = (autoMs: number): Record<string, string> => {
    if (retryAfterCfg === null) return {};
    const sec = retryAfterCfg === 'auto' ? Math.max(1, Math.ceil(autoMs / 1000)) : retryAfterCfg;
    return { 'Retry-After': String(sec) };
  };

  /** Injected and real throttling; answers 429 and returns true when the call must not proceed. */
  const throttled = (res: ServerResponse): boolean => {
    const now = Date.now();
    const storm = faults.throttleStorm;
    const inStorm = storm && bulkCalls > storm.afterCalls && bulkCalls <= storm.afterCalls + storm.count;
    if (inStorm || (faults.throttleRate && rnd() < faults.throttleRate)) {
      graphError(res, 429, 'TooManyRequests', 'Too many requests (injected throttling).', retryAfterHeader(1000));
      return true;
    }
    while (windowCalls.length && windowCalls[0]! <= now - rate.windowMs) windowCalls.shift();
    while (dailyCalls.length && dailyCalls[0]! <= now - dailyWindowMs) dailyCalls.shift();
    if (dailyCalls.length >= dailyLimit) {
      graphError(res, 429, 'TooManyRequests', `Daily limit of ${dailyLimit} bulkUpload calls reached.`, retryAfterHeader(dailyCalls[0]! + dailyWindowMs - now));
      return true;
    }
    if (windowCalls.length >= rate.maxCalls) {
      graphError(res, 429, 'TooManyRequests', `Too many requests: at most ${rate.maxCalls} calls per ${rate.windowMs / 1000} seconds.`, retryAfterHeader(windowCalls[0]! + rate.windowMs - now));
      return true;
    }
    windowCalls.push(now);
    dailyCalls.push(now);
    return false;
  };

  const validate = (body: unknown): string | undefined => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Invalid Data Format: the body must be a JSON object.';
    const b = body as Record<string, unknown>;
    if (!Array.isArray(b.schemas) || !b.schemas.includes(BULK_URN)) return `Invalid Data Format: schemas must contain '${BULK_URN}'.`;
    if (!Array.isArray(b.Operations) || b.Operations.length === 0) return 'Invalid Data Format: Operations must be a non-empty array.';
    if (b.Operations.length > 50) return `Too many operations: ${b.Operations.length} in one request; the maximum is 50.`;
    const seen = new Set<string>();
    for (let i = 0; i < b.Operations.length; i++) {
      const op = b.Operations[i] as Record<string, unknown> | null;
      const where = `Operations[${i}]`;
      if (!op || typeof op !== 'object') return `Invalid Data Format: ${where} is not an object.`;
      if (typeof op.method !== 'string' || op.method.toUpperCase() !== 'POST') return `Invalid Data Format: ${where}.method must be POST.`;
      if (op.path !== '/Users') return `Invalid Data Format: ${where}.path must be /Users.`;
      if (typeof op.bulkId !== 'string' || !op.bulkId) return `Invalid Data Format: ${where}.bulkId is required.`;
      if (seen.has(op.bulkId)) return `Invalid Data Format: ${where}.bulkId '${op.bulkId}' is not unique in the request.`;
      seen.add(op.bulkId);
      const data = op.data as Record<string, unknown> | undefined;
      if (!data || typeof data !== 'object') return `Invalid Data Format: ${where}.data is required.`;
      const schemas = Array.isArray(data.schemas) ? (data.schemas as unknown[]) : [];
      for (const urn of [CORE_URN, ENTERPRISE_URN]) if (!schemas.includes(urn)) return `Invalid Data Format: ${where}.data.schemas must contain '${urn}'.`;
      for (const key of Object.keys(data)) {
        if (key.toLowerCase().startsWith('urn:') && !schemas.includes(key)) return `Invalid Data Format: ${where}.data uses extension '${key}' that is not listed in data.schemas.`;
      }
      if ((typeof data.externalId !== 'string' && typeof data.externalId !== 'number') || data.externalId === '') return `Invalid Data Format: ${where}.data.externalId is required.`;
    }
    return undefined;
  };

  const bulkUpload = async (req: IncomingMessage, res: ServerResponse, version: string, sp: string, jobId: string): Promise<void> => {
    stats.requests++;
    bulkCalls++;
    const count = (k: string | number): void => {
      stats.responses[k] = (stats.responses[k] ?? 0) + 1;
    };
    if (faults.dropRate && rnd() < faults.dropRate) {
      // Mid-request, before reading the body: nothing was accepted (see StandInFaults.dropRate).
      count('dropped');
      req.socket.destroy();
      return;
    }
    res.on('finish', () => count(res.statusCode));
    if (!authorize(req, res, UPLOAD_ROLES)) return;
    if (throttled(res)) return;
    if (faults.serverErrorRate && rnd() < faults.serverErrorRate) {
      const s = rnd() < 0.5 ? 500 : 503;
      graphError(res, s, s === 500 ? 'InternalServerError' : 'ServiceUnavailable', 'Injected server error.');
      return;
    }
    const text = await readBody(req, opts.maxBodyBytes ?? 5 * 1024 * 1024);
    if (text === undefined) return graphError(res, 413, 'RequestEntityTooLarge', 'The request body is too large.');
    const ctype = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (ctype !== 'application/scim+json') return graphError(res, 400, 'BadRequest', 'Invalid Data Format: Content-Type must be application/scim+json.');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return graphError(res, 400, 'BadRequest', 'Invalid Data Format: the body is not valid JSON.');
    }
    const problem = validate(body);
    if (problem) return graphError(res, 400, 'BadRequest', problem);

    const ops = (body as { Operations: Array<{ data: Record<string, unknown> }> }).Operations;
    const j = job(jobId);
    const cycleId = randomUUID();
    const visibleAt = Date.now() + (opts.logDelayMs ?? 0);
    for (const op of ops) {
      const ext = String(op.data.externalId);
      j.known.add(ext);
      stats.acceptedByExternalId.set(ext, (stats.acceptedByExternalId.get(ext) ?? 0) + 1);
      pending.push({ jobId, servicePrincipalId: sp, cycleId, data: op.data, visibleAt, version });
    }
    stats.acceptedRequests++;
    stats.acceptedOperations += ops.length;
    if (faults.dropAfterAcceptRate && rnd() < faults.dropAfterAcceptRate) {
      count('dropped-after-accept');
      req.socket.destroy();
      return;
    }
    res.writeHead(202, { Location: `${base}/${version}/auditLogs/provisioning/?$filter=jobid%20eq%20'${encodeURIComponent(jobId)}'`, 'Content-Length': '0' });
    res.end();
  };

  const provisioningLogs = (req: IncomingMessage, res: ServerResponse, url: URL, version: string): void => {
    if (!authorize(req, res, LOG_ROLES)) return;
    drainDue();
    const filterText = url.searchParams.get('$filter');
    let filter;
    try {
      filter = filterText ? parseFilter(filterText, opts.allowOrInFilter ?? true) : undefined;
    } catch (e) {
      return graphError(res, 400, 'BadRequest', (e as FilterError).message);
    }
    const top = Math.min(1000, Math.max(1, Number(url.searchParams.get('$top') ?? 50) || 50));
    const skip = Number(Buffer.from(url.searchParams.get('$skiptoken') ?? '', 'base64url').toString() || 0) || 0;
    // Newest first, like Graph.
    const hits = logs.filter((e) => (filter ? matches(filter, e) : true)).sort((a, b) => b._seq - a._seq);
    const page = hits.slice(skip, skip + top).map(({ _seq, ...e }) => (version === 'beta' ? e : (({ statusInfo, ...rest }) => rest)(e)));
    const out: Record<string, unknown> = { '@odata.context': `${base}/${version}/$metadata#auditLogs/provisioning`, value: page };
    if (skip + top < hits.length) {
      const next = new URLSearchParams(url.searchParams);
      next.set('$skiptoken', Buffer.from(String(skip + top)).toString('base64url'));
      out['@odata.nextLink'] = `${base}/${version}/auditLogs/provisioning?${next.toString().replace(/\+/g, '%20')}`;
    }
    json(res, 200, out);
  };

  const tokenEndpoint = async (req: IncomingMessage, res: ServerResponse, tenant: string): Promise<void> => {
    const aadError = (status: number, error: string, code: number, description: string): void =>
      json(res, status, { error, error_description: `AADSTS${code}: ${description}`, error_codes: [code], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID() });
    const form = new URLSearchParams((await readBody(req, 64 * 1024)) ?? '');
    if (form.get('grant_type') !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type; the stand-in supports client_credentials.');
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => s.endsWith('/.default'))) return aadError(400, 'invalid_scope', 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (!clientId) return aadError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    if (!secret && !assertion) return aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    if (assertion && (assertion.split('.').length !== 3 || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')) {
      return aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation (malformed JWT).');
    }
    let roles = ALL_ROLES;
    const clients = opts.clients ?? [];
    if (clients.length) {
      const c = clients.find((x) => x.clientId === clientId);
      if (!c) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
      if (secret !== null && secret !== undefined && c.clientSecret !== secret) return aadError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
      if (!secret && c.clientSecret !== undefined) return aadError(401, 'invalid_client', 7000215, 'This client authenticates with a secret.');
      roles = c.roles ?? ALL_ROLES;
    }
    const token = issueToken(roles);
    json(res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token });
  };

  const openIdConfiguration = (res: ServerResponse, tenant: string): void => {
    const a = `${base}/${tenant}`;
    json(res, 200, {
      token_endpoint: `${a}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${a}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      issuer: `${a}/v2.0`,
      authorization_endpoint: `${a}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${a}/oauth2/v2.0/logout`,
      tenant_region_scope: 'local',
    });
  };

  /** GET/PUT …/jobs/{id}/schema, GET …/jobs/{id}, POST …/start|pause|restart. */
  const jobEndpoint = async (req: IncomingMessage, res: ServerResponse, jobId: string, action: string): Promise<void> => {
    const method = req.method ?? 'GET';
    const allowed = action === '/schema' ? ['GET', 'PUT'] : action === '' ? ['GET'] : ['POST'];
    if (!allowed.includes(method)) return graphError(res, 405, 'Request_BadRequest', `${method} is not supported here.`, { Allow: allowed.join(', ') });
    if (!authorize(req, res, method === 'GET' ? SYNC_READ_ROLES : SYNC_WRITE_ROLES)) return;
    const j = job(jobId);
    if (action === '/schema' && method === 'GET') return json(res, 200, { '@odata.context': `${base}/$metadata#servicePrincipals('…')/synchronization/jobs('${jobId}')/schema/$entity`, ...j.schema });
    if (action === '/schema') {
      const text = await readBody(req, opts.maxBodyBytes ?? 5 * 1024 * 1024);
      if (text === undefined) return graphError(res, 413, 'RequestEntityTooLarge', 'The request body is too large.');
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        delete parsed['@odata.context'];
        j.schema = checkAppSchema(parsed);
      } catch (e) {
        return graphError(res, 400, 'BadRequest', `Invalid schema: ${e instanceof AppSchemaError ? e.message : 'the body is not valid JSON'}.`);
      }
      res.writeHead(204);
      res.end();
      return;
    }
    if (action === '') {
      const quarantine = j.status === 'Quarantine' ? { currentBegan: new Date().toISOString(), nextAttempt: null, reason: 'EncounteredQuarantineException', seriesBegan: new Date().toISOString(), seriesCount: 1 } : null;
      return json(res, 200, {
        id: jobId, templateId: 'API2AAD',
        schedule: { expiration: null, interval: 'PT40M', state: j.status === 'Paused' ? 'Disabled' : 'Active' },
        status: {
          code: j.status, countSuccessiveCompleteFailures: 0, escrowsPruned: false, quarantine,
          lastExecution: j.lastExecution ?? null, lastSuccessfulExecution: j.lastExecution ?? null, lastSuccessfulExecutionWithExports: j.lastExecution ?? null,
          steadyStateFirstAchievedTime: '0001-01-01T00:00:00Z', steadyStateLastAchievedTime: '0001-01-01T00:00:00Z', troubleshootingUrl: null, progress: [], synchronizedEntryCountByType: [],
        },
        synchronizationJobSettings: [],
      });
    }
    if (action === '/pause') j.status = 'Paused';
    else {
      // start resumes a paused job; restart also lifts a quarantine (criteria.resetScope is accepted and ignored).
      if (action === '/restart' || j.status !== 'Quarantine') j.status = 'Active';
      j.resumedAt = Date.now();
    }
    res.writeHead(204);
    res.end();
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Before anything else (no body read, no token looked at): a browser page must not reach the stand-in.
    const refusal = foreignRequest(req, port);
    if (refusal) {
      stats.refused++;
      opts.log?.(`${req.method} refused: ${refusal.why}`);
      res.writeHead(refusal.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' });
      res.end(`${refusal.why}\n`);
      return;
    }
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    if (stats.requestLog.length < 100_000) stats.requestLog.push(`${req.method} ${path}`);
    const requestId = randomUUID();
    res.setHeader('request-id', requestId);
    res.setHeader('client-request-id', String(req.headers['client-request-id'] ?? requestId));
    res.on('finish', () => opts.log?.(`${req.method} ${path} ${res.statusCode}`));
    let m: RegExpExecArray | null;
    if ((m = /^\/(v1\.0|beta)\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)\/bulkUpload\/?$/i.exec(path))) {
      if (req.method !== 'POST') return graphError(res, 405, 'Request_BadRequest', 'Only POST is supported on bulkUpload.', { Allow: 'POST' });
      return bulkUpload(req, res, m[1]!.toLowerCase(), decodeURIComponent(m[2]!), decodeURIComponent(m[3]!));
    }
    if ((m = /^\/(v1\.0|beta)\/auditLogs\/provisioning\/?$/i.exec(path)) && req.method === 'GET') return provisioningLogs(req, res, url, m[1]!.toLowerCase());
    if ((m = /^\/(v1\.0|beta)\/servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)(\/schema|\/start|\/pause|\/restart)?\/?$/i.exec(path))) {
      return jobEndpoint(req, res, decodeURIComponent(m[3]!), (m[4] ?? '').toLowerCase());
    }
    if ((m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path)) && req.method === 'POST') return tokenEndpoint(req, res, m[1]!);
    if ((m = /^\/([^/]+)(?:\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(path)) && req.method === 'GET') return openIdConfiguration(res, m[1]!);
    if (path === '/common/discovery/instance' && req.method === 'GET') {
      const h = new URL(base).host;
      return json(res, 200, { tenant_discovery_endpoint: `${base}/${tenantId}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: h, preferred_cache: h, aliases: [h] }] });
    }
    graphError(res, 404, 'Request_ResourceNotFound', `Resource not found for the segment '${path}'.`);
  };

  const server: Server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (!res.headersSent) graphError(res, 500, 'InternalServerError', `stand-in error: ${(e as Error).message}`);
    });
  });
  // Dropped connections are part of the game; keep them from surfacing as unhandled errors.
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  port = addr.port;
  base = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : host === 'localhost' ? 'localhost' : addr.address}:${addr.port}`;

  return {
    url: base,
    tokenUrl: `${base}/${tenantId}/oauth2/v2.0/token`,
    authorityHost: base,
    endpointUrl: (jobId = DEFAULT_JOB_ID, o = {}) =>
      `${base}/${o.version ?? 'beta'}/servicePrincipals/${encodeURIComponent(o.servicePrincipalId ?? DEFAULT_SP_ID)}/synchronization/jobs/${encodeURIComponent(jobId)}/bulkUpload`,
    stats,
    issueToken: (o = {}) => issueToken(o.roles ?? ALL_ROLES, o.lifetimeSec),
    setFaults: (f) => {
      faults = f;
      rnd = seededRandom(f.seed ?? 1);
    },
    users: (jobId) => job(jobId).users,
    appSchema: (jobId = DEFAULT_JOB_ID) => job(jobId).schema,
    setJobStatus: (status, jobId = DEFAULT_JOB_ID) => {
      const j = job(jobId);
      j.status = status;
      if (status === 'Active') j.resumedAt = Date.now();
    },
    issuedTokens: () => [...tokens.keys()],
    flushLogs: () => drainDue(true),
    resetStats: () => Object.assign(stats, newStats()),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
