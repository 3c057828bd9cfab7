/** Shared fixtures for the upload tests: synthetic users, BulkRequests, and a running stand-in per test. */
import { BULK_REQUEST_URN, BulkRequest, CORE_USER_URN, ENTERPRISE_USER_URN, ScimResource } from '../../../src/engine/types';
import { parseEndpoint, staticTokenProvider, TokenProvider, UploadEndpoint } from '../../../src/targets/entra/upload';
import { startStandIn, StandIn, StandInOptions } from '../../../src/targets/entra/standin';

export function user(i: number, extra: Partial<ScimResource> = {}): ScimResource {
  const id = `E${String(i).padStart(6, '0')}`;
  return {
    schemas: [CORE_USER_URN, ENTERPRISE_USER_URN],
    externalId: id,
    userName: `${id.toLowerCase()}@contoso.com`,
    displayName: `User ${i}`,
    active: true,
    [ENTERPRISE_USER_URN]: { employeeNumber: id },
    ...extra,
  };
}

export function bulk(users: ScimResource[], prefix = 'b'): BulkRequest {
  return {
    schemas: [BULK_REQUEST_URN],
    Operations: users.map((data, k) => ({ method: 'POST', bulkId: `${prefix}${String(data.externalId ?? k)}`, path: '/Users', data })),
    failOnErrors: null,
  };
}

/** `n` users in requests of `size`. */
export function batchesOf(n: number, size = 50, start = 0): BulkRequest[] {
  const out: BulkRequest[] = [];
  for (let i = 0; i < n; i += size) out.push(bulk(Array.from({ length: Math.min(size, n - i) }, (_, k) => user(start + i + k))));
  return out;
}

export async function* asAsync<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const x of items) yield x;
}

/** Fast pacing for tests; the real 40/5 s is exercised by the pacing test with a scaled window. */
export const FAST = { pacing: { maxCalls: 1000, windowMs: 1000, marginMs: 0 }, retry: { baseDelayMs: 5, maxDelayMs: 40 } };

export interface Rig {
  standIn: StandIn;
  endpoint: UploadEndpoint;
  tokens: TokenProvider;
}

export async function rig(opts: StandInOptions = {}): Promise<Rig> {
  const standIn = await startStandIn({ rateLimit: { maxCalls: 100_000, windowMs: 1000 }, dailyLimit: 1_000_000, ...opts });
  const endpoint = parseEndpoint(standIn.endpointUrl());
  return { standIn, endpoint, tokens: staticTokenProvider(standIn.issueToken()) };
}

/** Every externalId accepted exactly once. */
export function exactlyOnce(standIn: StandIn, n: number, start = 0): { missing: string[]; duplicated: string[] } {
  const missing: string[] = [];
  const duplicated: string[] = [];
  for (let i = start; i < start + n; i++) {
    const id = `E${String(i).padStart(6, '0')}`;
    const c = standIn.stats.acceptedByExternalId.get(id) ?? 0;
    if (c === 0) missing.push(id);
    if (c > 1) duplicated.push(id);
  }
  return { missing, duplicated };
}
