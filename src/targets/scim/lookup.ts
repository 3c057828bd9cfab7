/**
 * Looking up many users at once for the /Bulk path, with the same rules as findUser (users.ts): by externalId, then
 * by userName; more than one exact match is `Ambiguous`; a userName match that belongs to another externalId is
 * `UserNameTaken`.
 *
 * An `or` filter over a batch (`externalId eq "a" or externalId eq "b" …`, RFC 7644 §3.4.2.2) saves one request
 * per user, but a server that mis-evaluates `or` would make existing users look new (and get created twice). So `or`
 * is only used once it was proven on this server in this run: two users known to exist must both come back from one
 * `or` query (`OrFilterProbe`). Until then, and wherever the answer is incomplete (paged), users are looked up one by
 * one.
 */
import { filterLiteral } from './client';
import { findUser, failure, type CallContext, type Found, type OpResult } from './users';
import type { ScimResource } from '../../engine/types';

export type Lookup = { found?: Found; fail?: OpResult };

/** Terms per `or` query at most: keeps the URL short (≈ 1.5 KB) and the answer within one page. */
export const OR_TERMS = 20;
/** Per-user lookups of one batch in flight at once (the batches themselves run concurrently too). */
const PER_USER_PARALLEL = 4;

const strOf = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** A lookup failure the delivery loop must handle for the whole batch (throttling, server error, token). */
export function isWholeRequestFailure(r: OpResult | undefined): boolean {
  return !!r && !r.ok && (r.status === 401 || r.status === 403 || r.status === 429 || r.status >= 500);
}

/** Whether this server evaluates `or` filters correctly; decided once per run from users known to exist. */
export class OrFilterProbe {
  state: 'unknown' | 'yes' | 'no' = 'unknown';
  /** Terms per `or` query, at most as many as the probe proved (a server might drop terms beyond some count). */
  terms = 0;
  private running?: Promise<void>;

  private listed = false;

  /**
   * Probes with up to OR_TERMS users whose externalId → id is known: from this run, or (once, at the start) users
   * the server lists. All of them, and only them, must come back from one `or` query. No-op once decided.
   */
  async probe(ctx: CallContext, known: Map<string, string>): Promise<void> {
    if (this.state !== 'unknown') return;
    if (this.running) return this.running;
    if (known.size < 2 && this.listed) return;
    this.running ??= (async () => {
      let pairs: Array<[string, string]> = [];
      for (const kv of known) if (pairs.push(kv) >= OR_TERMS) break;
      if (pairs.length < 2) {
        this.listed = true;
        const res = await ctx.client.request({ method: 'GET', path: `${ctx.server.users.endpoint}?startIndex=1&count=${OR_TERMS}`, token: ctx.token, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
        const list = res.status === 200 && Array.isArray(res.json?.Resources) ? (res.json!.Resources as Array<Record<string, unknown>>) : [];
        const byExt = new Map(list.filter((u) => u && strOf(u.externalId) && strOf(u.id)).map((u) => [u.externalId as string, u.id as string]));
        // An externalId held by two users cannot prove anything: leave those out.
        for (const u of list) if (u && strOf(u.externalId) && byExt.get(u.externalId as string) !== u.id) byExt.delete(u.externalId as string);
        pairs = [...byExt];
        if (pairs.length < 2) return;
      }
      const res = await orQuery(ctx, 'externalId', pairs.map(([e]) => e));
      if (!res) return void (this.state = 'no');
      if ('fail' in res) return; // throttled or the like: try again with a later batch
      const got = new Map(res.list.map((u) => [String(u.externalId), String(u.id)]));
      const proven = res.list.length === pairs.length && pairs.every(([e, id]) => got.get(e) === id);
      this.state = proven ? 'yes' : 'no';
      if (proven) this.terms = pairs.length;
    })().finally(() => (this.running = undefined));
    await this.running;
  }
}

/**
 * One `or` query. undefined: the server refused the filter (a 4xx other than 401/403/429) or answered incompletely
 * (more results than on the page); fall back to one by one.
 */
async function orQuery(ctx: CallContext, attr: 'externalId' | 'userName', values: string[]): Promise<{ list: Array<Record<string, unknown>> } | { fail: OpResult } | undefined> {
  const filter = values.map((v) => `${attr} eq ${filterLiteral(v)}`).join(' or ');
  const count = values.length * 2 + 1;
  const res = await ctx.client.request({ method: 'GET', path: `${ctx.server.users.endpoint}?filter=${encodeURIComponent(filter)}&count=${count}`, token: ctx.token, signal: ctx.signal, timeoutMs: ctx.timeoutMs });
  if (res.status !== 200) {
    const f = failure(res, `looking up ${values.length} users by ${attr}`);
    return isWholeRequestFailure(f) ? { fail: f } : undefined;
  }
  const list = Array.isArray(res.json?.Resources) ? (res.json!.Resources as unknown[]).filter((u): u is Record<string, unknown> => !!u && typeof u === 'object' && !!strOf((u as { id?: unknown }).id)) : [];
  const total = typeof res.json?.totalResults === 'number' ? res.json.totalResults : list.length;
  if (total > list.length) return undefined;
  return { list };
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** Groups exact matches per value (userName: case-insensitive), as findBy does for one value. */
function matchesOf(list: Array<Record<string, unknown>>, attr: 'externalId' | 'userName', values: string[]): Map<string, Array<Record<string, unknown>>> {
  const norm = (v: string): string => (attr === 'userName' ? v.toLowerCase() : v);
  const out = new Map<string, Array<Record<string, unknown>>>(values.map((v) => [norm(v), []]));
  for (const u of list) {
    const v = u[attr];
    if (typeof v === 'string') out.get(norm(v))?.push(u);
  }
  return out;
}

const foundOf = (u: Record<string, unknown>): Found => ({ id: u.id as string, resource: u, etag: strOf((u.meta as Record<string, unknown> | undefined)?.version) });

/** Runs `fn` over `xs` with at most `n` in flight. */
async function parallel<T, R>(xs: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, xs.length) }, async () => {
    while (next < xs.length) {
      const i = next++;
      out[i] = await fn(xs[i]!);
    }
  }));
  return out;
}

/**
 * Looks up `resources` (keyed by the caller's key). Returns one Lookup per key, or `{ whole }` when a lookup answer
 * (429, 5xx, 401, 403) must go to the delivery loop for the whole batch.
 */
export async function lookupMany(ctx: CallContext, resources: Map<string, ScimResource>, probe: OrFilterProbe): Promise<{ results: Map<string, Lookup> } | { whole: OpResult }> {
  const results = new Map<string, Lookup>();
  const oneByOne = async (keys: string[]): Promise<OpResult | undefined> => {
    const got = await parallel(keys, PER_USER_PARALLEL, async (k) => [k, await findUser(ctx, resources.get(k)!)] as const);
    for (const [k, r] of got) {
      if (isWholeRequestFailure(r.fail)) return r.fail;
      results.set(k, r);
    }
    return undefined;
  };
  if (probe.state !== 'yes') {
    const w = await oneByOne([...resources.keys()]);
    return w ? { whole: w } : { results };
  }

  // Phase 1: by externalId. Phase 2: by userName, for those not found (or without an externalId).
  const byExt = [...resources].filter(([, r]) => strOf(r.externalId));
  const fallback: string[] = [];
  const phase2: string[] = [...resources].filter(([, r]) => !strOf(r.externalId)).map(([k]) => k);
  for (const part of chunks(byExt, probe.terms)) {
    const values = [...new Set(part.map(([, r]) => r.externalId as string))];
    const res = await orQuery(ctx, 'externalId', values);
    if (res && 'fail' in res) return { whole: res.fail };
    if (!res) {
      fallback.push(...part.map(([k]) => k));
      continue;
    }
    const m = matchesOf(res.list, 'externalId', values);
    for (const [k, r] of part) {
      const hits = m.get(r.externalId as string) ?? [];
      if (hits.length > 1) results.set(k, { fail: { ok: false, status: 0, code: 'Ambiguous', message: `${hits.length} users on the server have externalId ${JSON.stringify(r.externalId)}; not updating any of them` } });
      else if (hits.length === 1) results.set(k, { found: foundOf(hits[0]!) });
      else phase2.push(k);
    }
  }
  const withName = phase2.filter((k) => strOf(resources.get(k)!.userName));
  for (const k of phase2) if (!strOf(resources.get(k)!.userName)) results.set(k, {});
  for (const part of chunks(withName, probe.terms)) {
    const values = [...new Set(part.map((k) => resources.get(k)!.userName as string))];
    const res = await orQuery(ctx, 'userName', values);
    if (res && 'fail' in res) return { whole: res.fail };
    if (!res) {
      fallback.push(...part);
      continue;
    }
    const m = matchesOf(res.list, 'userName', values);
    for (const k of part) {
      const r = resources.get(k)!;
      const userName = r.userName as string;
      const hits = m.get(userName.toLowerCase()) ?? [];
      const ext = strOf(r.externalId);
      const theirs = hits.length === 1 ? strOf(hits[0]!.externalId) : undefined;
      if (hits.length > 1) results.set(k, { fail: { ok: false, status: 0, code: 'Ambiguous', message: `${hits.length} users on the server have userName ${JSON.stringify(userName)}; not updating any of them` } });
      else if (hits.length === 1 && ext && theirs && theirs !== ext) results.set(k, { fail: { ok: false, status: 0, code: 'UserNameTaken', message: `userName ${JSON.stringify(userName)} belongs to the server's user with another externalId; not overwriting that account` } });
      else results.set(k, hits.length === 1 ? { found: foundOf(hits[0]!) } : {});
    }
  }
  const w = await oneByOne(fallback.filter((k) => !results.has(k)));
  return w ? { whole: w } : { results };
}
