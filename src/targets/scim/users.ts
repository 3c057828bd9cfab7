/**
 * Matching and updates of one user against a SCIM service provider (RFC 7644 §3.3, §3.4.2, §3.5.2):
 * look up by `externalId eq` (fallback `userName eq`), create with POST, update with PATCH replacing exactly the
 * attributes the record carries (PUT only where PATCH is unsupported), 409 → look up again and update, If-Match when
 * the server supports ETags.
 */
import { ENTERPRISE_USER_URN, type ScimResource } from '../../engine/types';
import { filterLiteral, type ScimClient, type ScimResponse } from './client';
import type { ServerProfile } from './discovery';

export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface CallContext {
  client: ScimClient;
  server: ServerProfile;
  token: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** The final answer for one operation: a success, or the HTTP response (or local reason) it failed with. */
export type OpResult =
  | { ok: true; status: number; action: 'created' | 'updated' | 'linked' | 'deactivated' | 'unchanged'; serverId: string; etag?: string }
  | { ok: false; status: number; headers?: Headers; code: string; message: string; scimType?: string };

export interface Found {
  id: string;
  resource: Record<string, unknown>;
  etag?: string;
}

type Lookup = { found?: Found; fail?: OpResult };

const strOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

export function failure(res: ScimResponse, what: string): OpResult {
  const code = res.scimType ?? `HTTP${res.status}`;
  const message = `${what}: HTTP ${res.status}${res.scimType ? ` ${res.scimType}` : ''}${res.detail ? `: ${res.detail}` : res.json ? '' : `: ${res.text.slice(0, 200)}`}`;
  return { ok: false, status: res.status, headers: res.headers, code, message, scimType: res.scimType };
}

function etagOf(res: ScimResponse, resource?: Record<string, unknown>): string | undefined {
  const meta = resource?.meta as Record<string, unknown> | undefined;
  return res.headers.get('etag') ?? strOf(meta?.version);
}

async function call(ctx: CallContext, method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown, ifMatch?: string): Promise<ScimResponse> {
  return ctx.client.request({ method, path, token: ctx.token, body, ifMatch, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
}

/** Finds the user whose `attr` equals `value`; more than one match is a failure (never pick one of several). */
export async function findBy(ctx: CallContext, attr: 'externalId' | 'userName', value: string): Promise<Lookup> {
  const path = `${ctx.server.users.endpoint}?filter=${encodeURIComponent(`${attr} eq ${filterLiteral(value)}`)}`;
  const res = await call(ctx, 'GET', path);
  if (res.status !== 200) return { fail: failure(res, `looking up ${attr}`) };
  const list = Array.isArray(res.json?.Resources) ? (res.json!.Resources as Array<Record<string, unknown>>) : [];
  // Some servers answer a filter with more than was asked: keep exact matches (userName is case-insensitive).
  const same = (v: unknown): boolean => typeof v === 'string' && (attr === 'userName' ? v.toLowerCase() === value.toLowerCase() : v === value);
  const hits = list.filter((u) => u && typeof u === 'object' && same(u[attr]) && strOf(u.id));
  if (hits.length > 1) return { fail: { ok: false, status: 0, code: 'Ambiguous', message: `${hits.length} users on the server have ${attr} ${JSON.stringify(value)}; not updating any of them` } };
  if (!hits.length) return {};
  const u = hits[0]!;
  return { found: { id: u.id as string, resource: u, etag: strOf((u.meta as Record<string, unknown> | undefined)?.version) } };
}

/** By externalId, then by userName; a userName match that belongs to another externalId is refused. */
export async function findUser(ctx: CallContext, resource: ScimResource): Promise<Lookup> {
  const ext = strOf(resource.externalId);
  const userName = strOf(resource.userName);
  if (ext) {
    const r = await findBy(ctx, 'externalId', ext);
    if (r.fail || r.found) return r;
  }
  if (!userName) return {};
  const r = await findBy(ctx, 'userName', userName);
  const theirs = strOf(r.found?.resource.externalId);
  if (r.found && ext && theirs && theirs !== ext) {
    return { fail: { ok: false, status: 0, code: 'UserNameTaken', message: `userName ${JSON.stringify(userName)} belongs to the server's user with another externalId; not overwriting that account` } };
  }
  return r;
}

/** Merges the record's multi-valued elements into the server's: elements of the same `type` are updated, others kept. */
function mergeElements(existing: unknown, mine: unknown[]): unknown[] {
  const theirs = Array.isArray(existing) ? existing.filter((e) => e && typeof e === 'object') as Array<Record<string, unknown>> : [];
  const out = theirs.map((e) => ({ ...e }));
  for (const m of mine) {
    if (!m || typeof m !== 'object') continue;
    const el = m as Record<string, unknown>;
    const i = el.type === undefined ? -1 : out.findIndex((e) => e.type === el.type);
    if (i >= 0) out[i] = { ...out[i], ...el };
    else out.push({ ...el });
    // One primary at most (RFC 7643 §2.4): the record's primary element wins.
    if (el.primary === true) for (const e of out) if (e.type !== el.type && e.primary === true) e.primary = false;
  }
  return out;
}

/** PATCH operations replacing exactly the attributes the record carries (the server keeps everything else). */
export function patchOperations(resource: ScimResource, existing: Record<string, unknown>): Array<{ op: 'replace'; path: string; value: unknown }> {
  const ops: Array<{ op: 'replace'; path: string; value: unknown }> = [];
  for (const [k, v] of Object.entries(resource)) {
    if (k === 'schemas' || k === 'id' || k === 'meta' || v === undefined) continue;
    if (k.startsWith('urn:') && v && typeof v === 'object' && !Array.isArray(v)) {
      const theirs = (existing[k] ?? {}) as Record<string, unknown>;
      for (const [a, av] of Object.entries(v as Record<string, unknown>)) {
        if (av === undefined) continue;
        if (Array.isArray(av)) ops.push({ op: 'replace', path: `${k}:${a}`, value: mergeElements(theirs[a], av) });
        else if (av && typeof av === 'object') for (const [s, sv] of Object.entries(av)) ops.push({ op: 'replace', path: `${k}:${a}.${s}`, value: sv });
        else ops.push({ op: 'replace', path: `${k}:${a}`, value: av });
      }
    } else if (Array.isArray(v)) ops.push({ op: 'replace', path: k, value: mergeElements(existing[k], v) });
    else if (v && typeof v === 'object') for (const [s, sv] of Object.entries(v)) ops.push({ op: 'replace', path: `${k}.${s}`, value: sv });
    else ops.push({ op: 'replace', path: k, value: v });
  }
  return ops;
}

/**
 * The version to send in If-Match. A list response often carries no meta.version (scimmy sends the ETag header only
 * for a single resource), so the user is read by id when the server supports ETags and the lookup gave none.
 */
async function versionOf(ctx: CallContext, found: Found): Promise<string | undefined> {
  if (!ctx.server.config.etag) return undefined;
  if (found.etag) return found.etag;
  const res = await call(ctx, 'GET', `${ctx.server.users.endpoint}/${encodeURIComponent(found.id)}`);
  return res.status === 200 ? etagOf(res, res.json) : undefined;
}

async function update(ctx: CallContext, found: Found, resource: ScimResource): Promise<OpResult> {
  const path = `${ctx.server.users.endpoint}/${encodeURIComponent(found.id)}`;
  const ifMatch = await versionOf(ctx, found);
  let res: ScimResponse;
  if (ctx.server.config.patch) {
    const Operations = patchOperations(resource, found.resource);
    if (!Operations.length) return { ok: true, status: 200, action: 'unchanged', serverId: found.id };
    res = await call(ctx, 'PATCH', path, { schemas: [PATCH_OP_URN], Operations }, ifMatch);
  } else {
    // PUT replaces the whole resource: what the record leaves empty is cleared on the server (documented).
    res = await call(ctx, 'PUT', path, { ...resource, id: found.id }, ifMatch);
  }
  if (res.status === 200 || res.status === 204) return { ok: true, status: res.status, action: 'updated', serverId: found.id, etag: etagOf(res, res.json) };
  return failure(res, ctx.server.config.patch ? 'PATCH' : 'PUT');
}

/** Creates or updates one user. Retryable answers (429, 5xx, 401) come back as failures with their status. */
export async function upsertUser(ctx: CallContext, resource: ScimResource): Promise<OpResult> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const look = await findUser(ctx, resource);
    if (look.fail) return look.fail;
    if (look.found) {
      const r = await update(ctx, look.found, resource);
      // 412: someone changed the user between our read and write; read again once.
      if (!r.ok && r.status === 412 && attempt === 0) continue;
      return r;
    }
    const res = await call(ctx, 'POST', ctx.server.users.endpoint, resource);
    if (res.status === 201 || res.status === 200) {
      const id = strOf(res.json?.id);
      if (!id) return { ok: false, status: res.status, code: 'NoId', message: `POST answered ${res.status} without an id` };
      return { ok: true, status: res.status, action: 'created', serverId: id, etag: etagOf(res, res.json) };
    }
    // 409 uniqueness: the user exists (created meanwhile, or matched on another attribute): look up, then update.
    if (res.status === 409 && attempt === 0) continue;
    return failure(res, 'POST');
  }
  return { ok: false, status: 409, code: 'uniqueness', message: 'the server reports a conflict (409) but no user with this externalId or userName could be found; check which attribute it holds unique' };
}

async function patchOrPut(ctx: CallContext, found: Found, ops: Array<{ op: 'replace'; path: string; value: unknown }>, apply: (r: Record<string, unknown>) => void, what: string): Promise<ScimResponse> {
  const path = `${ctx.server.users.endpoint}/${encodeURIComponent(found.id)}`;
  const ifMatch = await versionOf(ctx, found);
  if (ctx.server.config.patch) return call(ctx, 'PATCH', path, { schemas: [PATCH_OP_URN], Operations: ops }, ifMatch);
  const full = JSON.parse(JSON.stringify(found.resource)) as Record<string, unknown>;
  delete full.meta;
  apply(full);
  void what;
  return call(ctx, 'PUT', path, full, ifMatch);
}

/** Links a user to its manager by the server's id of the manager (RFC 7643 §4.3 manager.value). */
export async function linkManager(ctx: CallContext, user: Found, managerId: string): Promise<OpResult> {
  const res = await patchOrPut(
    ctx,
    user,
    [{ op: 'replace', path: `${ENTERPRISE_USER_URN}:manager`, value: { value: managerId } }],
    (r) => {
      const ext = ((r[ENTERPRISE_USER_URN] ??= {}) as Record<string, unknown>);
      ext.manager = { value: managerId };
      const schemas = Array.isArray(r.schemas) ? (r.schemas as string[]) : [];
      if (!schemas.includes(ENTERPRISE_USER_URN)) r.schemas = [...schemas, ENTERPRISE_USER_URN];
    },
    'manager link',
  );
  if (res.status === 200 || res.status === 204) return { ok: true, status: res.status, action: 'linked', serverId: user.id };
  return failure(res, 'linking the manager');
}

/** Deactivation for sync's disable path: PATCH `active: false` (PUT where PATCH is unsupported). */
export async function deactivateUser(ctx: CallContext, externalId: string): Promise<OpResult> {
  const look = await findBy(ctx, 'externalId', externalId);
  if (look.fail) return look.fail;
  if (!look.found) return { ok: false, status: 0, code: 'NotFound', message: `no user with externalId ${JSON.stringify(externalId)} on the server` };
  const res = await patchOrPut(ctx, look.found, [{ op: 'replace', path: 'active', value: false }], (r) => void (r.active = false), 'deactivation');
  if (res.status === 200 || res.status === 204) return { ok: true, status: res.status, action: 'deactivated', serverId: look.found.id };
  return failure(res, 'deactivating');
}
