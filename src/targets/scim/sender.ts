/**
 * Sends mapped users to a SCIM service provider through the shared delivery loop (src/delivery): one user per
 * delivery "batch" (pacing, 429/503 Retry-After, retries, journal and resume as for Entra), in two passes:
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

export interface ScimSendOptions extends Omit<DeliveryOptions, 'target'> {
  client: ScimClient;
  server: ServerProfile;
}

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

const single = (data: ScimResource, bulkId: string): BulkRequest => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
  Operations: [{ method: 'POST', bulkId, path: '/Users', data }],
});

/**
 * Sends the users of `requests` (BulkRequests as the engine makes them). Returns one summary: pass-1 records
 * (action created / updated / unchanged) followed by pass-2 records (action linked, or ManagerNotFound).
 */
export async function sendToScim(requests: AsyncIterable<BulkRequest> | Iterable<BulkRequest>, opts: ScimSendOptions): Promise<UploadSummary> {
  const { client, server, ...rest } = opts;
  const ids = new Map<string, string>();
  const links: Array<{ externalId: string; manager: string; bulkId: string }> = [];

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
    return first;
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
  return mergeSummaries(first, second);
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
