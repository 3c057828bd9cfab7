/**
 * Sends mapped users to a SCIM service provider through the shared delivery loop (src/delivery): pacing, 429/503
 * Retry-After, retries, journal and resume as for Entra. Where the server supports /Bulk (with both limits), a
 * delivery batch is a group of users sent in Bulk requests (bulk.ts); otherwise one user per batch. Two passes:
 *   1. every user without its manager link (create or update);
 *   2. the manager links, with manager.value resolved from the manager's externalId to the server's `id`
 *      (RFC 7643 §4.3). A manager that cannot be resolved is a failed result for that record, never a bad link.
 * An attempt of an operation is idempotent (it starts with a lookup), so the loop may retry it whole.
 */
import { ENTERPRISE_USER_URN, type BulkOperation, type BulkRequest, type ScimResource } from '../../engine/types';
import { deliverBatches, type DeliveryOptions } from '../../delivery/uploader';
import type { DeliveryResponse, DeliveryTarget } from '../../delivery/transport';
import type { UploadSummary } from '../../delivery/types';
import { mergeSummaries } from '../../delivery/summary';
import type { ScimClient } from './client';
import type { ServerProfile } from './discovery';
import { deactivateUser, findBy, linkManager, upsertUser, type CallContext, type OpResult } from './users';
import { BULK_REQUEST_URN, bulkLimitsOf, BulkRun, sendLinksInBulk, sendUsersInBulk, type BulkLimits } from './bulk';

export interface ScimSendOptions extends Omit<DeliveryOptions, 'target'> {
  client: ScimClient;
  server: ServerProfile;
  /**
   * /Bulk when the server supports it (default), with at most `size` users per request (default 100, never more
   * than the server's maxOperations) and RFC 7644 `failOnErrors` (default: omitted). false: one user at a time.
   */
  bulk?: false | { size?: number; failOnErrors?: number };
}

/** How the users were sent (for the CLI's summary and --format json). */
export interface ScimVia {
  path: 'bulk' | 'users';
  /** Why not /Bulk. */
  reason?: string;
  bulk?: {
    maxOperations: number;
    maxPayloadSize: number;
    failOnErrors?: number;
    requests: number;
    operations: number;
    largestRequest: { operations: number; bytes: number };
    /** How existing users were looked up: `or` filters once proven on this server, else one by one. */
    lookups: 'or-filter' | 'per-user';
    /** Whether the server resolved `bulkId:` references in manager.value (unknown: none was needed). */
    bulkIdReferences: 'yes' | 'no' | 'unknown';
  };
}

export type ScimUploadSummary = UploadSummary & { via: ScimVia };

/** The manager's externalId in a generated resource, and the resource without it (pass 1 sends no manager). */
export function splitManager(resource: ScimResource): { resource: ScimResource; manager?: string } {
  const ext = resource[ENTERPRISE_USER_URN] as Record<string, unknown> | undefined;
  const m = ext?.manager as Record<string, unknown> | undefined;
  if (!ext || !m || m.value === undefined) return { resource };
  const manager = typeof m.value === 'string' ? m.value : String(m.value);
  const rest: Record<string, unknown> = { ...ext };
  delete rest.manager;
  const out: ScimResource = { ...resource };
  if (Object.keys(rest).length) out[ENTERPRISE_USER_URN] = rest;
  else {
    delete out[ENTERPRISE_USER_URN];
    if (Array.isArray(out.schemas)) out.schemas = (out.schemas as string[]).filter((s) => s !== ENTERPRISE_USER_URN);
  }
  return { resource: out, manager };
}

function responseOf(r: OpResult): DeliveryResponse {
  if (r.ok) return { status: r.status, headers: new Headers(), text: '', details: [{ action: r.action, httpStatus: r.status, serverId: r.serverId }] };
  return {
    status: r.status,
    headers: r.headers ?? new Headers(),
    text: r.message,
    error: { code: r.code, message: r.message },
    details: [{ httpStatus: r.status || undefined, scimType: r.scimType }],
  };
}

const ok2xx = (res: DeliveryResponse): boolean => res.status >= 200 && res.status < 300;

/** A delivery target whose every operation runs `op` (one operation per request). */
function scimTarget(client: ScimClient, server: ServerProfile, op: (ctx: CallContext, data: ScimResource) => Promise<OpResult>): DeliveryTarget {
  return {
    url: client.endpoint.url,
    forbiddenHint: 'the token may not manage users on this service provider',
    accepts: ok2xx,
    async post(request, token, opts) {
      if (request.Operations.length !== 1) throw new Error('the SCIM target sends one operation per request');
      return responseOf(await op({ client, server, token, signal: opts.signal, timeoutMs: opts.timeoutMs }, request.Operations[0]!.data));
    },
  };
}

/** A delivery target whose batches go over /Bulk (bulk.ts); per-operation outcomes in `details`. */
function bulkTarget(client: ScimClient, server: ServerProfile, limits: BulkLimits, send: (ctx: CallContext, ops: BulkOperation[]) => ReturnType<typeof sendUsersInBulk>): DeliveryTarget {
  return {
    url: client.endpoint.url,
    maxOperations: limits.maxOperations,
    forbiddenHint: 'the token may not manage users on this service provider',
    accepts: ok2xx,
    async post(request, token, opts) {
      const r = await send({ client, server, token, signal: opts.signal, timeoutMs: opts.timeoutMs }, request.Operations as BulkOperation[]);
      if (!r.whole) return { status: 200, headers: new Headers(), text: '', details: r.details.map((d) => d ?? { outcome: 'failed', error: { code: 'NoResult', message: 'no result for this operation' } }) };
      return { status: r.whole.status, headers: r.whole.headers ?? new Headers(), text: r.whole.message, error: { code: r.whole.code, message: r.whole.message }, details: r.details.map((d) => d ?? {}) };
    },
  };
}

/** Groups operations into delivery batches within maxOperations and (estimated by the POST form) maxPayloadSize. */
async function* grouped(ops: AsyncIterable<BulkOperation>, limits: BulkLimits): AsyncIterable<BulkRequest> {
  let group: BulkOperation[] = [];
  let size = 0;
  for await (const op of ops) {
    const n = Buffer.byteLength(JSON.stringify(op)) + 1;
    if (group.length && (group.length >= limits.maxOperations || size + n > limits.maxPayloadSize)) {
      yield { schemas: [BULK_REQUEST_URN], Operations: group };
      group = [];
      size = 0;
    }
    group.push(op);
    size += n;
  }
  if (group.length) yield { schemas: [BULK_REQUEST_URN], Operations: group };
}

const single = (data: ScimResource, bulkId: string): BulkRequest => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
  Operations: [{ method: 'POST', bulkId, path: '/Users', data }],
});

/**
 * Sends the users of `requests` (BulkRequests as the engine makes them). Returns one summary: pass-1 records
 * (action created / updated / unchanged) followed by pass-2 records (action linked, or ManagerNotFound).
 */
export async function sendToScim(requests: AsyncIterable<BulkRequest> | Iterable<BulkRequest>, opts: ScimSendOptions): Promise<ScimUploadSummary> {
  const { client, server, bulk, ...rest } = opts;
  const limits = bulk === false ? 'one by one (--no-bulk)' : bulkLimitsOf(server.config, bulk || {});
  if (typeof limits !== 'string') return sendInBulk(requests, opts, limits);
  const ids = new Map<string, string>();
  const links: Array<{ externalId: string; manager: string; bulkId: string }> = [];
  const via: ScimVia = { path: 'users', reason: limits };

  async function* pass1(): AsyncIterable<BulkRequest> {
    for await (const req of requests) {
      for (const op of req.Operations as BulkOperation[]) {
        const { resource, manager } = splitManager(op.data);
        const ext = typeof resource.externalId === 'string' ? resource.externalId : undefined;
        if (manager !== undefined && ext) links.push({ externalId: ext, manager, bulkId: `${op.bulkId}:manager` });
        yield single(resource, op.bulkId);
      }
    }
  }
  const upsert = async (ctx: CallContext, data: ScimResource): Promise<OpResult> => {
    const r = await upsertUser(ctx, data);
    if (r.ok && typeof data.externalId === 'string') ids.set(data.externalId, r.serverId);
    return r;
  };
  const first = await deliverBatches(pass1(), { ...rest, target: scimTarget(client, server, upsert), keepJournalOpen: true });
  if (first.stopped || !links.length) {
    if (!first.stopped && !rest.keepJournalOpen) rest.journal?.close('completed');
    return { ...first, via };
  }

  const idOf = async (ctx: CallContext, externalId: string): Promise<{ id?: string; fail?: OpResult; resource?: Record<string, unknown> }> => {
    const r = await findBy(ctx, 'externalId', externalId);
    if (r.fail) return { fail: r.fail };
    if (r.found) ids.set(externalId, r.found.id);
    return { id: r.found?.id, resource: r.found?.resource };
  };
  const link = async (ctx: CallContext, data: ScimResource): Promise<OpResult> => {
    const user = String(data.externalId);
    const manager = String((data as { manager?: unknown }).manager);
    const m = ids.get(manager) ? { id: ids.get(manager) } : await idOf(ctx, manager);
    if (m.fail) return m.fail;
    if (!m.id) return { ok: false, status: 0, code: 'ManagerNotFound', message: `the manager ${JSON.stringify(manager)} is not on the server (no user with that externalId); the link was not set` };
    // The user itself: looked up for its current state (PUT-only servers need it, ETags too).
    const u = await findBy(ctx, 'externalId', user);
    if (u.fail) return u.fail;
    if (!u.found) return { ok: false, status: 0, code: 'UserNotFound', message: `the user ${JSON.stringify(user)} is not on the server (its own create failed?); the manager link was not set` };
    const current = (u.found.resource[ENTERPRISE_USER_URN] as { manager?: { value?: unknown } } | undefined)?.manager?.value;
    if (current === m.id) return { ok: true, status: 200, action: 'unchanged', serverId: u.found.id };
    return linkManager(ctx, u.found, m.id);
  };
  async function* pass2(): AsyncIterable<BulkRequest> {
    for (const l of links) yield single({ externalId: l.externalId, manager: l.manager }, l.bulkId);
  }
  // Pass-2 ordinals follow pass 1's, so that one journal (and a resume) tells the passes apart.
  const second = await deliverBatches(pass2(), { ...rest, target: scimTarget(client, server, link), firstOrdinal: (rest.firstOrdinal ?? 0) + first.totals.records });
  return { ...mergeSummaries(first, second), via };
}

/** The same two passes over /Bulk: users (managers inline where possible), then the links not set inline. */
async function sendInBulk(requests: AsyncIterable<BulkRequest> | Iterable<BulkRequest>, opts: ScimSendOptions, limits: BulkLimits): Promise<ScimUploadSummary> {
  const { client, server, bulk: _bulk, ...rest } = opts;
  const run = new BulkRun(limits, rest.tokens);
  const links: BulkOperation[] = [];
  // Pass 1's operations carry the user without its manager (as one by one sends them, and as onAccepted reports
  // them: sync records the complete record only once the link is confirmed); the manager is kept beside.
  const managers = new WeakMap<ScimResource, string | undefined>();
  const viaOf = (): ScimVia => ({
    path: 'bulk',
    bulk: {
      maxOperations: server.config.bulk.maxOperations,
      maxPayloadSize: limits.maxPayloadSize,
      failOnErrors: limits.failOnErrors,
      requests: run.stats.requests,
      operations: run.stats.operations.reduce((a, b) => a + b, 0),
      largestRequest: { operations: Math.max(0, ...run.stats.operations), bytes: Math.max(0, ...run.stats.bytes) },
      lookups: run.probe.state === 'yes' ? 'or-filter' : 'per-user',
      bulkIdReferences: run.bulkRefs,
    },
  });
  async function* users(): AsyncIterable<BulkOperation> {
    for await (const req of requests) {
      for (const op of req.Operations as BulkOperation[]) {
        const { resource, manager } = splitManager(op.data);
        const ext = typeof resource.externalId === 'string' ? resource.externalId : undefined;
        if (manager !== undefined && ext) links.push({ method: 'POST', bulkId: `${op.bulkId}:manager`, path: '/Users', data: { externalId: ext, manager } });
        // One object per user for the whole run: bulk.ts remembers results by it across the loop's retries.
        const user: BulkOperation = { method: 'POST', bulkId: op.bulkId, path: '/Users', data: resource };
        managers.set(resource, manager);
        yield user;
      }
    }
  }
  const first = await deliverBatches(grouped(users(), limits), { ...rest, target: bulkTarget(client, server, limits, (ctx, ops) => sendUsersInBulk(ctx, run, ops, (data) => ({ resource: data, manager: managers.get(data) }))), keepJournalOpen: true });
  if (first.stopped || !links.length) {
    if (!first.stopped && !rest.keepJournalOpen) rest.journal?.close('completed');
    return { ...first, via: viaOf() };
  }
  async function* linkOps(): AsyncIterable<BulkOperation> {
    yield* links;
  }
  const second = await deliverBatches(grouped(linkOps(), limits), { ...rest, target: bulkTarget(client, server, limits, (ctx, ops) => sendLinksInBulk(ctx, run, ops)), firstOrdinal: (rest.firstOrdinal ?? 0) + first.totals.records });
  return { ...mergeSummaries(first, second), via: viaOf() };
}

/** For sync's disable path: deactivate users by externalId through the same loop (PATCH active: false). */
export async function deactivateOnScim(externalIds: Iterable<string>, opts: ScimSendOptions): Promise<UploadSummary> {
  const { client, server, ...rest } = opts;
  function* ops(): Iterable<BulkRequest> {
    let i = 0;
    for (const e of externalIds) yield single({ externalId: e, active: false }, `disable-${i++}`);
  }
  return deliverBatches(ops(), { ...rest, target: scimTarget(client, server, (ctx, data) => deactivateUser(ctx, String(data.externalId))) });
}
