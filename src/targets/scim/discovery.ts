/**
 * Discovery (RFC 7644 §4): what the service provider says it supports, read before anything is sent. The result is
 * plain JSON, so `scimmap server pull` can save it.
 */
import { CORE_USER_URN } from '../../engine/types';
import type { ScimClient, ScimResponse } from './client';

export interface ServerAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  mutability?: string;
  /** Only when the server says true (the editor's hover shows it). */
  required?: boolean;
  subAttributes?: ServerAttribute[];
}

export interface ServerProfile {
  /** Format version of this file. */
  scimmapServer: 1;
  endpoint: string;
  fetchedAt: string;
  config: {
    patch: boolean;
    bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
    filter: { supported: boolean; maxResults: number };
    etag: boolean;
  };
  users: {
    endpoint: string;
    schema: string;
    /** Extension URNs the User resource type declares, with `required`. */
    extensions: Array<{ schema: string; required: boolean }>;
  };
  /** Schema URN → its attributes, as /Schemas lists them (only the User schema and its extensions). */
  schemas: Record<string, ServerAttribute[]>;
}

export class DiscoveryError extends Error {
  override name = 'DiscoveryError';
}

const bool = (v: unknown): boolean => v === true;
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : d);

function listOf(res: ScimResponse, what: string): Array<Record<string, unknown>> {
  if (Array.isArray(res.json?.Resources)) return (res.json!.Resources as unknown[]).filter((x): x is Record<string, unknown> => !!x && typeof x === 'object');
  throw new DiscoveryError(`${what}: expected a ListResponse with Resources`);
}

function attributesOf(raw: unknown, depth = 0): ServerAttribute[] {
  if (!Array.isArray(raw) || depth > 2) return [];
  const out: ServerAttribute[] = [];
  for (const a of raw) {
    if (!a || typeof a !== 'object' || typeof (a as { name?: unknown }).name !== 'string') continue;
    const x = a as Record<string, unknown>;
    const attr: ServerAttribute = { name: x.name as string, type: typeof x.type === 'string' ? x.type : 'string', multiValued: bool(x.multiValued) };
    if (typeof x.mutability === 'string') attr.mutability = x.mutability;
    if (x.required === true) attr.required = true;
    if (Array.isArray(x.subAttributes)) attr.subAttributes = attributesOf(x.subAttributes, depth + 1);
    out.push(attr);
  }
  return out;
}

export async function discover(client: ScimClient, token: string, signal?: AbortSignal): Promise<ServerProfile> {
  const get = async (path: string): Promise<ScimResponse> => {
    const res = await client.request({ method: 'GET', path, token, signal });
    if (res.status === 401 || res.status === 403) throw new DiscoveryError(`GET ${path}: HTTP ${res.status} (the token was refused)${res.detail ? `: ${res.detail}` : ''}`);
    if (res.status !== 200 || !res.json) throw new DiscoveryError(`GET ${path}: HTTP ${res.status}${res.detail ? ` ${res.detail}` : ''}; is ${client.endpoint.url} the SCIM base URL?`);
    return res;
  };
  const spc = (await get('/ServiceProviderConfig')).json!;
  const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
  const bulk = obj(spc.bulk);
  const filter = obj(spc.filter);
  const types = listOf(await get('/ResourceTypes'), 'GET /ResourceTypes');
  const user = types.find((t) => t.schema === CORE_USER_URN) ?? types.find((t) => t.name === 'User' || t.id === 'User');
  if (!user) throw new DiscoveryError(`GET /ResourceTypes: the server declares no User resource type (${types.map((t) => String(t.name)).join(', ') || 'none'})`);
  const extensions = (Array.isArray(user.schemaExtensions) ? user.schemaExtensions : [])
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && typeof (e as { schema?: unknown }).schema === 'string')
    .map((e) => ({ schema: e.schema as string, required: bool(e.required) }));
  const wanted = new Set([String(user.schema ?? CORE_USER_URN), ...extensions.map((e) => e.schema)]);
  const schemas: Record<string, ServerAttribute[]> = {};
  for (const s of listOf(await get('/Schemas'), 'GET /Schemas')) {
    if (typeof s.id === 'string' && wanted.has(s.id)) schemas[s.id] = attributesOf(s.attributes);
  }
  const endpointPath = typeof user.endpoint === 'string' && /^\/[A-Za-z0-9_-]+$/.test(user.endpoint) ? user.endpoint : '/Users';
  return {
    scimmapServer: 1,
    endpoint: client.endpoint.url,
    fetchedAt: new Date().toISOString(),
    config: {
      patch: bool(obj(spc.patch).supported),
      bulk: { supported: bool(bulk.supported), maxOperations: num(bulk.maxOperations, 0), maxPayloadSize: num(bulk.maxPayloadSize, 0) },
      filter: { supported: bool(filter.supported), maxResults: num(filter.maxResults, 0) },
      etag: bool(obj(spc.etag).supported),
    },
    users: { endpoint: endpointPath, schema: String(user.schema ?? CORE_USER_URN), extensions },
    schemas,
  };
}
