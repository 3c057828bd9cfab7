/**
 * The /Bulk path (RFC 7644 §3.7) for servers whose ServiceProviderConfig declares `bulk.supported` with
 * `maxOperations` and `maxPayloadSize`. One delivery batch (src/delivery) is one group of users; sending it:
 *
 *   1. looks the users up (lookup.ts: same rules as users.ts), so an attempt after an interrupted one finds what the
 *      earlier attempt created and updates it: a retried or resumed batch never creates a user twice;
 *   2. plans one operation per user: POST /Users (new, with a bulkId), PATCH /Users/{id} (PUT where PATCH is
 *      unsupported) or nothing (`unchanged`); the manager inline when its server id is known, as `bulkId:<id>` when
 *      the manager is created in the same request (ordered before its reports), else left to the link pass;
 *   3. packs the operations into Bulk requests within maxOperations and maxPayloadSize (serialized bytes), sent one
 *      after another (a reference to an operation of an earlier request is replaced by the id it got);
 *   4. reads each operation's result; 409 on POST (created meanwhile) and 412 on a versioned write are looked up
 *      and planned again once, per-operation 429 / 5xx are retried in bounded rounds and otherwise left not-sent
 *      (a resume sends them), an operation that failed only because the manager it referenced failed is sent again
 *      without the reference.
 *
 * A whole-request 429 / 503 / 5xx / 401 / 403 goes back to the delivery loop (Retry-After, retries, token refresh);
 * results already known are remembered per operation, so the loop's retry does not send those users again.
 */
import { ENTERPRISE_USER_URN, type BulkOperation, type ScimResource } from '../../engine/types';
import type { RecordDetail } from '../../delivery/transport';
import { sleep } from '../../delivery/timing';
import { registerSecret } from '../../delivery/redact';
import type { TokenProvider } from '../../delivery/types';
import type { ScimResponse } from './client';
import { lookupMany, OrFilterProbe, type Lookup } from './lookup';
import { failure, findBy, linkManager, patchOperations, PATCH_OP_URN, type CallContext, type Found, type OpResult } from './users';

export const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
/** Our own ceiling on users per delivery batch (the server's maxOperations may be far larger). */
export const DEFAULT_BULK_SIZE = 100;
/** Rounds per batch for per-operation 429 / 5xx answers inside a BulkResponse. */
const MAX_THROTTLE_ROUNDS = 3;
const ROUND_DELAY_MS = 1000;
const MAX_ROUNDS = 8;

export interface BulkLimits {
  maxOperations: number;
  maxPayloadSize: number;
  /** RFC 7644 failOnErrors; undefined: omitted (the server goes on after errors). */
  failOnErrors?: number;
}

/** Bulk limits to use, or why not: the server must declare support and both limits. */
export function bulkLimitsOf(config: { bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number } }, opts: { size?: number; failOnErrors?: number } = {}): BulkLimits | string {
  const b = config.bulk;
  if (!b.supported) return 'the server does not support /Bulk';
  if (!(b.maxOperations > 0) || !(b.maxPayloadSize > 0)) return 'the server declares /Bulk without maxOperations / maxPayloadSize';
  return { maxOperations: Math.min(b.maxOperations, opts.size ?? DEFAULT_BULK_SIZE), maxPayloadSize: b.maxPayloadSize, failOnErrors: opts.failOnErrors };
}

/** What one run of the Bulk path knows across its batches. */
export class BulkRun {
  /** externalId → server id (from lookups and results). */
  readonly ids = new Map<string, string>();
  /** externalId → the manager id the server holds for that user, as far as this run knows. */
  readonly managers = new Map<string, string | undefined>();
  /** Manager links set inline in pass 1: externalId → manager id and whether it changed. */
  readonly inline = new Map<string, { managerId: string; action: 'linked' | 'unchanged' }>();
  readonly probe = new OrFilterProbe();
  /** The first batch while the `or` filter is unproven (see sendUsersInBulk). */
  pioneer?: Promise<void>;
  /** Whether the server resolves `bulkId:` inside nested values (manager.value); checked on first use. */
  bulkRefs: 'unknown' | 'yes' | 'no' = 'unknown';
  /** Final results of operations, kept across the delivery loop's retries of a batch. */
  readonly memo = new WeakMap<BulkOperation, RecordDetail>();
  readonly stats = { requests: 0, operations: [] as number[], bytes: [] as number[] };
  private wireIds = new WeakMap<BulkOperation, string>();
  private nextWire = 1;

  constructor(
    readonly limits: BulkLimits,
    private readonly tokens?: TokenProvider,
  ) {}

  /**
   * A batch makes several requests (lookups, Bulk requests, retry rounds) with the token the delivery loop gave it;
   * between them, ask the provider again so that a short-lived token it renews early is not used past its life.
   * A failure keeps the token in hand (a 401 then goes to the loop, which refreshes).
   */
  async freshen(ctx: CallContext): Promise<void> {
    if (!this.tokens) return;
    try {
      const t = await this.tokens.getToken(false);
      if (t && t !== ctx.token) {
        registerSecret(t);
        ctx.token = t;
      }
    } catch {
      /* keep ctx.token */
    }
  }

  /** A bulkId of our own per user (no record content on the wire's bulkIds; unique in the run). */
  wireId(op: BulkOperation): string {
    let id = this.wireIds.get(op);
    if (!id) this.wireIds.set(op, (id = `u${this.nextWire++}`));
    return id;
  }
}

interface Planned {
  op: BulkOperation;
  user: { resource: ScimResource; manager?: string };
  method: 'POST' | 'PATCH' | 'PUT';
  path: string;
  bulkId?: string;
  version?: string;
  data: Record<string, unknown>;
  found?: Found;
  /** The manager: its server id, or the planned POST it references by bulkId. */
  managerId?: string;
  refTo?: Planned;
}

interface OpAnswer {
  status: number;
  id?: string;
  scimType?: string;
  detail?: string;
}

const strOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const ext = (p: { user: { resource: ScimResource } }): string | undefined => strOf(p.user.resource.externalId);
const managerValueOf = (r: Record<string, unknown>): string | undefined => strOf((r[ENTERPRISE_USER_URN] as { manager?: { value?: unknown } } | undefined)?.manager?.value);
const bytes = (x: unknown): number => Buffer.byteLength(JSON.stringify(x));

const ok = (status: number, action: string, serverId?: string): RecordDetail => ({ outcome: 'accepted', action, httpStatus: status, serverId });
const fail = (r: Extract<OpResult, { ok: false }>): RecordDetail => ({ outcome: 'failed', httpStatus: r.status || undefined, scimType: r.scimType, error: { code: r.code, message: r.message } });
const notSent = (code: string, message: string): RecordDetail => ({ outcome: 'not-sent', error: { code, message } });

/** The resource with manager.value set (and the enterprise schema listed). */
function withManager(resource: Record<string, unknown>, value: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...resource, [ENTERPRISE_USER_URN]: { ...((resource[ENTERPRISE_USER_URN] as Record<string, unknown> | undefined) ?? {}), manager: { value } } };
  const schemas = Array.isArray(out.schemas) ? (out.schemas as string[]) : [];
  if (!schemas.includes(ENTERPRISE_USER_URN)) out.schemas = [...schemas, ENTERPRISE_USER_URN];
  return out;
}

function wire(p: Planned): Record<string, unknown> {
  return { method: p.method, ...(p.bulkId ? { bulkId: p.bulkId } : {}), path: p.path, ...(p.version ? { version: p.version } : {}), data: p.data };
}

/** The id at the end of a result's location (…/Users/{id}). */
function idFromLocation(location: unknown, usersEndpoint: string): string | undefined {
  if (typeof location !== 'string') return undefined;
  const path = location.split('?')[0]!;
  const at = path.lastIndexOf(`${usersEndpoint}/`);
  if (at < 0) return undefined;
  const id = path.slice(at + usersEndpoint.length + 1);
  if (!id || id.includes('/')) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return undefined;
  }
}

/** Matches the BulkResponse's results to the planned operations: POST by bulkId, others by location. */
function answersOf(res: ScimResponse, sent: Planned[], usersEndpoint: string): Map<Planned, OpAnswer> {
  const out = new Map<Planned, OpAnswer>();
  const list = Array.isArray(res.json?.Operations) ? (res.json!.Operations as unknown[]).filter((o): o is Record<string, unknown> => !!o && typeof o === 'object') : [];
  const byBulkId = new Map(sent.filter((p) => p.bulkId).map((p) => [p.bulkId!, p]));
  const byId = new Map(sent.filter((p) => p.found).map((p) => [p.found!.id, p]));
  list.forEach((r, i) => {
    const status = Number.parseInt(String(r.status ?? ''), 10);
    const locId = idFromLocation(r.location, usersEndpoint);
    const p = (typeof r.bulkId === 'string' ? byBulkId.get(r.bulkId) : undefined) ?? (locId ? byId.get(locId) : undefined) ?? (list.length === sent.length && !out.has(sent[i]!) ? sent[i] : undefined);
    if (!p || out.has(p)) return;
    const response = r.response && typeof r.response === 'object' ? (r.response as Record<string, unknown>) : {};
    out.set(p, {
      status: Number.isFinite(status) ? status : 0,
      id: locId ?? strOf(response.id),
      scimType: strOf(response.scimType),
      detail: strOf(response.detail),
    });
  });
  return out;
}

type Whole = { whole: Extract<OpResult, { ok: false }> };

/** Packs `planned` into requests within the limits and sends them in order. */
async function sendPacked(ctx: CallContext, run: BulkRun, planned: Planned[], answers: Map<Planned, OpAnswer>): Promise<Whole | { retryAfter?: string }> {
  const { maxOperations, maxPayloadSize, failOnErrors } = run.limits;
  const envelope = { schemas: [BULK_REQUEST_URN], ...(failOnErrors !== undefined ? { failOnErrors } : {}), Operations: [] as unknown[] };
  const base = bytes(envelope);
  let retryAfter: string | undefined;
  let i = 0;
  while (i < planned.length) {
    const chunk: Planned[] = [];
    let size = base;
    for (; i < planned.length && chunk.length < maxOperations; i++) {
      const p = planned[i]!;
      // A reference to an operation of an earlier request: that request is done, so use the id it got.
      if (p.refTo && !chunk.includes(p.refTo)) {
        const a = answers.get(p.refTo);
        if (a && a.status >= 200 && a.status < 300 && a.id) resolveRef(p, a.id);
      }
      const n = bytes(wire(p)) + (chunk.length ? 1 : 0);
      if (chunk.length && size + n > maxPayloadSize) break;
      chunk.push(p);
      size += n;
    }
    const body = { ...envelope, Operations: chunk.map(wire) };
    await run.freshen(ctx);
    const res = await ctx.client.request({ method: 'POST', path: '/Bulk', token: ctx.token, body, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
    run.stats.requests++;
    run.stats.operations.push(chunk.length);
    run.stats.bytes.push(size);
    if (res.status !== 200) return { whole: failure(res, `POST /Bulk (${chunk.length} operations)`) as Extract<OpResult, { ok: false }> };
    retryAfter = res.headers.get('retry-after') ?? retryAfter;
    for (const [p, a] of answersOf(res, chunk, ctx.server.users.endpoint)) answers.set(p, a);
  }
  return { retryAfter };
}

function resolveRef(p: Planned, id: string): void {
  p.refTo = undefined;
  p.managerId = id;
  if (p.method === 'PATCH') {
    const ops = (p.data.Operations as Array<{ path: string; value: unknown }>).map((o) => (o.path === `${ENTERPRISE_USER_URN}:manager` ? { ...o, value: { value: id } } : o));
    p.data = { ...p.data, Operations: ops };
  } else p.data = withManager(p.data, id);
}

/** Orders operations so that a referenced POST comes before the operations that reference it (refs are acyclic). */
function ordered(planned: Planned[]): Planned[] {
  const out: Planned[] = [];
  const seen = new Set<Planned>();
  const visit = (p: Planned): void => {
    if (seen.has(p)) return;
    seen.add(p);
    if (p.refTo) visit(p.refTo);
    out.push(p);
  };
  planned.forEach(visit);
  return out;
}

type BatchResult = { details: Array<RecordDetail | undefined>; whole?: Extract<OpResult, { ok: false }> };

/**
 * Sends one delivery batch of users (pass 1). Returns one detail per operation of `ops` (in order), or the
 * whole-request failure for the delivery loop (the details known so far are kept in run.memo).
 *
 * While the `or` filter is not proven (an empty server: nobody to probe with), the first batch goes alone and the
 * others wait for it: the users it creates are what the probe needs, so the others can look up with `or`.
 */
export async function sendUsersInBulk(ctx: CallContext, run: BulkRun, ops: BulkOperation[], split: (r: ScimResource) => { resource: ScimResource; manager?: string }): Promise<BatchResult> {
  let release: (() => void) | undefined;
  await run.probe.probe(ctx, run.ids);
  if (run.probe.state === 'unknown') {
    if (run.pioneer) {
      await run.pioneer;
      await run.freshen(ctx);
    } else run.pioneer = new Promise<void>((r) => (release = r));
  }
  try {
    return await usersInBulk(ctx, run, ops, split);
  } finally {
    if (release) {
      await run.probe.probe(ctx, run.ids).catch(() => undefined);
      release();
    }
  }
}

async function usersInBulk(ctx: CallContext, run: BulkRun, ops: BulkOperation[], split: (r: ScimResource) => { resource: ScimResource; manager?: string }): Promise<BatchResult> {
  const users = new Map(ops.map((op) => [op, split(op.data)]));
  const details = (): Array<RecordDetail | undefined> => ops.map((op) => run.memo.get(op));
  const done = (op: BulkOperation, d: RecordDetail): void => void run.memo.set(op, d);
  const noRef = new Set<BulkOperation>();
  const retriedConflict = new Set<BulkOperation>();
  let throttleRounds = 0;
  let pending = ops.filter((op) => !run.memo.has(op));
  const limitBytes = run.limits.maxPayloadSize - bytes({ schemas: [BULK_REQUEST_URN], ...(run.limits.failOnErrors !== undefined ? { failOnErrors: run.limits.failOnErrors } : {}), Operations: [] });

  // Bounded: each operation is looked up again at most once for a conflict, once without its reference, and the
  // throttle rounds are counted; MAX_ROUNDS is a backstop.
  for (let round = 0; pending.length; round++) {
    if (round >= MAX_ROUNDS) {
      for (const op of pending) done(op, notSent('NotSent', 'not sent after several rounds of retries inside /Bulk; resume the run to send it'));
      break;
    }
    if (round > 0) await run.freshen(ctx);
    await run.probe.probe(ctx, run.ids);
    const looked = await lookupMany(ctx, new Map(pending.map((op) => [run.wireId(op), users.get(op)!.resource])), run.probe);
    if ('whole' in looked) return { details: details(), whole: looked.whole as Extract<OpResult, { ok: false }> };

    // Plan: failures of the lookup are final; duplicates within the batch are refused (two POSTs would make two users).
    const planned: Planned[] = [];
    const seenKeys = new Set<string>();
    for (const op of pending) {
      const u = users.get(op)!;
      const lk: Lookup = looked.results.get(run.wireId(op)) ?? {};
      if (lk.fail) {
        done(op, fail(lk.fail as Extract<OpResult, { ok: false }>));
        continue;
      }
      const keys = [strOf(u.resource.externalId) && `e:${u.resource.externalId}`, strOf(u.resource.userName) && `u:${String(u.resource.userName).toLowerCase()}`].filter((k): k is string => !!k);
      if (keys.some((k) => seenKeys.has(k))) {
        done(op, fail({ ok: false, status: 0, code: 'Duplicate', message: 'another record of the same batch has this externalId or userName; not sent twice in one Bulk request' }));
        continue;
      }
      keys.forEach((k) => seenKeys.add(k));
      const e = strOf(u.resource.externalId);
      if (lk.found && e) {
        run.ids.set(e, lk.found.id);
        run.managers.set(e, managerValueOf(lk.found.resource));
      }
      planned.push({ op, user: u, method: 'POST', path: ctx.server.users.endpoint, data: {}, found: lk.found });
    }
    const posts = new Map(planned.filter((p) => !p.found && ext(p)).map((p) => [ext(p)!, p]));
    // Manager: a known id inline; a manager POSTed in this request by bulkId (no cycles); else the link pass.
    for (const p of planned) {
      const m = p.user.manager;
      if (!m || noRef.has(p.op) || m === ext(p)) continue;
      const id = run.ids.get(m);
      if (id) p.managerId = id;
      else if (run.bulkRefs !== 'no' && posts.has(m)) {
        let q: Planned | undefined = posts.get(m);
        for (let hops = 0; q && q !== p && hops <= planned.length; hops++) q = q.refTo;
        if (q !== p) p.refTo = posts.get(m);
      }
    }
    // Build the operations; one over the payload limit is a failure, and whoever referenced it goes without.
    const build = (p: Planned): void => {
      const mv = p.managerId ?? (p.refTo ? `bulkId:${run.wireId(p.refTo.op)}` : undefined);
      if (!p.found) {
        p.method = 'POST';
        p.path = ctx.server.users.endpoint;
        p.bulkId = run.wireId(p.op);
        p.data = mv ? withManager(p.user.resource, mv) : p.user.resource;
        return;
      }
      p.path = `${ctx.server.users.endpoint}/${encodeURIComponent(p.found.id)}`;
      p.version = ctx.server.config.etag ? p.found.etag : undefined;
      if (ctx.server.config.patch) {
        p.method = 'PATCH';
        const Operations: Array<{ op: 'replace'; path: string; value: unknown }> = patchOperations(p.user.resource, p.found.resource);
        if (mv && mv !== managerValueOf(p.found.resource)) Operations.push({ op: 'replace', path: `${ENTERPRISE_USER_URN}:manager`, value: { value: mv } });
        p.data = { schemas: [PATCH_OP_URN], Operations };
      } else {
        p.method = 'PUT';
        // PUT replaces the whole user: keep the manager the server holds until the link pass sets the right one.
        const keep = mv ?? managerValueOf(p.found.resource);
        p.data = { ...(keep ? withManager(p.user.resource, keep) : p.user.resource), id: p.found.id };
      }
    };
    const tooBig = new Set<Planned>();
    for (let changed = true, guard = 0; changed && guard <= planned.length; guard++) {
      changed = false;
      for (const p of planned) {
        if (tooBig.has(p)) continue;
        if (p.refTo && tooBig.has(p.refTo)) p.refTo = undefined;
        build(p);
        // A reference may be replaced by a longer id when its target went in an earlier request: keep room.
        if (bytes(wire(p)) + (p.refTo ? 64 : 0) > limitBytes) {
          tooBig.add(p);
          changed = true;
        }
      }
    }
    const toSend: Planned[] = [];
    for (const p of planned) {
      if (tooBig.has(p)) {
        done(p.op, fail({ ok: false, status: 0, code: 'PayloadTooLarge', message: `this user's operation is ${bytes(wire(p))} bytes; the server accepts at most ${run.limits.maxPayloadSize} bytes per Bulk request (maxPayloadSize)` }));
        continue;
      }
      if (p.method === 'PATCH' && !(p.data.Operations as unknown[]).length) {
        done(p.op, ok(200, 'unchanged', p.found!.id));
        if (p.managerId && ext(p)) run.inline.set(ext(p)!, { managerId: p.managerId, action: 'unchanged' });
        continue;
      }
      toSend.push(p);
    }
    if (!toSend.length) break;

    const answers = new Map<Planned, OpAnswer>();
    const sent = await sendPacked(ctx, run, ordered(toSend), answers);
    if ('whole' in sent) {
      // What the requests before the failing one did is final: keep it for the loop's retry of this batch.
      for (const [p, a] of answers) if (a.status >= 200 && a.status < 300) accept(run, p, a, answers, done);
      return { details: details(), whole: sent.whole };
    }
    const again: BulkOperation[] = [];
    let throttled = false;
    for (const p of toSend) {
      const a = answers.get(p);
      if (!a) {
        done(p.op, notSent('NotProcessed', `the server returned no result for this operation${run.limits.failOnErrors !== undefined ? ' (failOnErrors reached?)' : ''}; resume the run to send it`));
        continue;
      }
      if (a.status >= 200 && a.status < 300) {
        accept(run, p, a, answers, done);
        continue;
      }
      const refFailed = p.refTo && !((answers.get(p.refTo)?.status ?? 0) >= 200 && (answers.get(p.refTo)?.status ?? 0) < 300);
      if (refFailed) {
        // Failed because the manager it referenced failed: send the user again without the link.
        noRef.add(p.op);
        again.push(p.op);
      } else if (a.status === 429 || a.status >= 500) {
        throttled = true;
        again.push(p.op);
      } else if ((a.status === 409 && p.method === 'POST') || (a.status === 412 && p.version)) {
        if (retriedConflict.has(p.op)) done(p.op, opFailure(p, a));
        else {
          retriedConflict.add(p.op);
          again.push(p.op);
        }
      } else done(p.op, opFailure(p, a));
    }
    await verifyBulkRefs(ctx, run, toSend, answers);
    if (throttled) {
      if (++throttleRounds > MAX_THROTTLE_ROUNDS) {
        for (const op of again) if (!run.memo.has(op)) done(op, notSent('Throttled', 'the server kept answering 429 / 5xx for this operation inside /Bulk; resume the run to send it'));
        break;
      }
      await sleep(ROUND_DELAY_MS * 2 ** (throttleRounds - 1), ctx.signal);
    }
    pending = again.filter((op) => !run.memo.has(op));
  }
  return { details: details() };
}

function opFailure(p: Planned, a: OpAnswer): RecordDetail {
  const code = a.scimType ?? `HTTP${a.status}`;
  return fail({ ok: false, status: a.status, code, scimType: a.scimType, message: `${p.method} in /Bulk: HTTP ${a.status}${a.scimType ? ` ${a.scimType}` : ''}${a.detail ? `: ${a.detail}` : ''}` });
}

function accept(run: BulkRun, p: Planned, a: OpAnswer, answers: Map<Planned, OpAnswer>, done: (op: BulkOperation, d: RecordDetail) => void): void {
  const id = p.found?.id ?? a.id;
  if (!id) return done(p.op, fail({ ok: false, status: a.status, code: 'NoId', message: `POST in /Bulk answered ${a.status} without a location` }));
  done(p.op, ok(a.status, p.found ? 'updated' : 'created', id));
  const e = ext(p);
  if (!e) return;
  run.ids.set(e, id);
  const managerId = p.managerId ?? (p.refTo ? answers.get(p.refTo)?.id : undefined);
  if (managerId && (!p.refTo || run.bulkRefs === 'yes')) {
    const before = p.found ? managerValueOf(p.found.resource) : undefined;
    run.managers.set(e, managerId);
    run.inline.set(e, { managerId, action: before === managerId ? 'unchanged' : 'linked' });
  } else if (managerId) {
    // A bulkId reference counts as a link only once the server was seen to resolve it (verifyBulkRefs).
    run.managers.delete(e);
  } else if (!p.found) run.managers.set(e, undefined);
}

/**
 * The first time a `bulkId:` reference in manager.value was accepted, read that user back: a server that stores
 * the text "bulkId:…" instead of the id must not be trusted with references (RFC 7644 §3.7.2 leaves nested values
 * to the implementation). Links made by reference are confirmed (or left to the link pass) accordingly.
 */
async function verifyBulkRefs(ctx: CallContext, run: BulkRun, sent: Planned[], answers: Map<Planned, OpAnswer>): Promise<void> {
  const byRef = sent.filter((p) => p.refTo && ext(p) && (answers.get(p)?.status ?? 0) < 300 && (answers.get(p)?.status ?? 0) >= 200 && answers.get(p.refTo)?.id);
  if (!byRef.length) return;
  if (run.bulkRefs === 'unknown') {
    const p = byRef[0]!;
    const res = await ctx.client.request({ method: 'GET', path: `${ctx.server.users.endpoint}/${encodeURIComponent(run.ids.get(ext(p)!)!)}`, token: ctx.token, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
    if (res.status === 200 && res.json) run.bulkRefs = managerValueOf(res.json) === answers.get(p.refTo!)!.id ? 'yes' : 'no';
  }
  for (const p of byRef) {
    const e = ext(p)!;
    if (run.bulkRefs !== 'yes') continue; // unknown state: the link pass reads the user again
    const managerId = answers.get(p.refTo!)!.id!;
    run.managers.set(e, managerId);
    run.inline.set(e, { managerId, action: 'linked' });
  }
}

/**
 * Pass 2 over /Bulk: the manager links not set inline. Manager ids from this run or looked up; the link is a PATCH
 * replace of manager (on a PUT-only server, each link is set one by one as in users.ts).
 */
export async function sendLinksInBulk(ctx: CallContext, run: BulkRun, ops: BulkOperation[]): Promise<{ details: Array<RecordDetail | undefined>; whole?: Extract<OpResult, { ok: false }> }> {
  const details = (): Array<RecordDetail | undefined> => ops.map((op) => run.memo.get(op));
  const done = (op: BulkOperation, d: RecordDetail): void => void run.memo.set(op, d);
  const userOf = (op: BulkOperation): string => String(op.data.externalId);
  const managerOf = (op: BulkOperation): string => String((op.data as { manager?: unknown }).manager);
  for (const op of ops) {
    const inl = run.inline.get(userOf(op));
    if (!run.memo.has(op) && inl && inl.managerId === run.ids.get(managerOf(op))) done(op, ok(200, inl.action, run.ids.get(userOf(op))));
  }
  let throttleRounds = 0;
  for (let pending = ops.filter((op) => !run.memo.has(op)); pending.length; ) {
    // Who is not known yet: managers by externalId, users whose current link this run does not know.
    const ask = new Map<string, ScimResource>();
    for (const op of pending) {
      if (!run.ids.has(managerOf(op))) ask.set(`m:${managerOf(op)}`, { externalId: managerOf(op) });
      if (!run.ids.has(userOf(op)) || !run.managers.has(userOf(op)) || !ctx.server.config.patch) ask.set(`u:${userOf(op)}`, { externalId: userOf(op) });
    }
    await run.freshen(ctx);
    const looked = ask.size ? await lookupMany(ctx, ask, run.probe) : { results: new Map<string, Lookup>() };
    if ('whole' in looked) return { details: details(), whole: looked.whole as Extract<OpResult, { ok: false }> };
    const toSend: Planned[] = [];
    for (const op of pending) {
      const m = looked.results.get(`m:${managerOf(op)}`);
      const u = looked.results.get(`u:${userOf(op)}`);
      if (m?.fail) {
        done(op, fail(m.fail as Extract<OpResult, { ok: false }>));
        continue;
      }
      if (u?.fail) {
        done(op, fail(u.fail as Extract<OpResult, { ok: false }>));
        continue;
      }
      if (m?.found) run.ids.set(managerOf(op), m.found.id);
      if (u?.found) {
        run.ids.set(userOf(op), u.found.id);
        run.managers.set(userOf(op), managerValueOf(u.found.resource));
      }
      const mid = run.ids.get(managerOf(op));
      const uid = run.ids.get(userOf(op));
      if (!mid) {
        done(op, fail({ ok: false, status: 0, code: 'ManagerNotFound', message: `the manager ${JSON.stringify(managerOf(op))} is not on the server (no user with that externalId); the link was not set` }));
        continue;
      }
      if (!uid) {
        done(op, fail({ ok: false, status: 0, code: 'UserNotFound', message: `the user ${JSON.stringify(userOf(op))} is not on the server (its own create failed?); the manager link was not set` }));
        continue;
      }
      if (run.managers.get(userOf(op)) === mid) {
        done(op, ok(200, 'unchanged', uid));
        continue;
      }
      if (!ctx.server.config.patch) {
        // PUT needs the whole user: one by one, with the resource just read.
        const r = u?.found ? await linkManager(ctx, u.found, mid) : await findBy(ctx, 'externalId', userOf(op)).then((f) => (f.found ? linkManager(ctx, f.found, mid) : f.fail ?? { ok: false as const, status: 0, code: 'UserNotFound', message: 'the user disappeared from the server' }));
        if (r.ok) {
          run.managers.set(userOf(op), mid);
          done(op, ok(r.status, 'linked', uid));
        } else if (r.status === 429 || r.status >= 500 || r.status === 401 || r.status === 403) return { details: details(), whole: r };
        else done(op, fail(r));
        continue;
      }
      toSend.push({
        op, user: { resource: { externalId: userOf(op) } }, method: 'PATCH', path: `${ctx.server.users.endpoint}/${encodeURIComponent(uid)}`, managerId: mid,
        found: { id: uid, resource: {} },
        data: { schemas: [PATCH_OP_URN], Operations: [{ op: 'replace', path: `${ENTERPRISE_USER_URN}:manager`, value: { value: mid } }] },
      });
    }
    if (!toSend.length) break;
    const answers = new Map<Planned, OpAnswer>();
    const sent = await sendPacked(ctx, run, toSend, answers);
    const settle = (p: Planned, a: OpAnswer): void => {
      run.managers.set(userOf(p.op), p.managerId);
      done(p.op, ok(a.status, 'linked', p.found!.id));
    };
    if ('whole' in sent) {
      for (const [p, a] of answers) if (a.status >= 200 && a.status < 300) settle(p, a);
      return { details: details(), whole: sent.whole };
    }
    const again: BulkOperation[] = [];
    for (const p of toSend) {
      const a = answers.get(p);
      if (!a) done(p.op, notSent('NotProcessed', 'the server returned no result for this manager link; resume the run to send it'));
      else if (a.status >= 200 && a.status < 300) settle(p, a);
      else if (a.status === 429 || a.status >= 500) again.push(p.op);
      else done(p.op, fail({ ok: false, status: a.status, code: a.scimType ?? `HTTP${a.status}`, scimType: a.scimType, message: `linking the manager in /Bulk: HTTP ${a.status}${a.scimType ? ` ${a.scimType}` : ''}${a.detail ? `: ${a.detail}` : ''}` }));
    }
    if (again.length) {
      if (++throttleRounds > MAX_THROTTLE_ROUNDS) {
        for (const op of again) done(op, notSent('Throttled', 'the server kept answering 429 / 5xx for this manager link inside /Bulk; resume the run to send it'));
        break;
      }
      await sleep(ROUND_DELAY_MS * 2 ** (throttleRounds - 1), ctx.signal);
    }
    pending = again;
  }
  return { details: details() };
}
