/**
 * Reading a saved discovery (`scimmap server pull` → `server-schema.json`, named by a mapping's `server:`). The file
 * is in the repository and so untrusted: its shape is checked field by field, and anything the checks read is
 * rebuilt from what passed (no prototype keys, no stray values). Pure: text in, profile or a message out.
 */
import type { ServerAttribute, ServerProfile } from './discovery';

export class ServerProfileError extends Error {
  override name = 'ServerProfileError';
}

/** More than any real server declares; a stop for a hostile file (each is checked and may be shown in a hover). */
const MAX_ATTRIBUTES = 5000;
const MAX_EXTENSIONS = 200;
const MAX_DEPTH = 2;
/** Names, types and URNs end up in diagnostics and hovers: a long one is not a real server's. */
const MAX_STRING = 1024;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function fail(message: string): never {
  throw new ServerProfileError(message);
}

function objectAt(parent: Obj, key: string, where: string): Obj {
  const v = Object.hasOwn(parent, key) ? parent[key] : undefined;
  if (!isObj(v)) fail(`${where}${key} must be an object`);
  return v;
}

function boolAt(parent: Obj, key: string, where: string): boolean {
  const v = Object.hasOwn(parent, key) ? parent[key] : undefined;
  if (typeof v !== 'boolean') fail(`${where}${key} must be true or false`);
  return v;
}

function stringAt(parent: Obj, key: string, where: string): string {
  const v = Object.hasOwn(parent, key) ? parent[key] : undefined;
  if (typeof v !== 'string' || v === '') fail(`${where}${key} must be a non-empty string`);
  if (v.length > MAX_STRING) fail(`${where}${key} is longer than ${MAX_STRING} characters`);
  return v;
}

function numberAt(parent: Obj, key: string, where: string): number {
  const v = Object.hasOwn(parent, key) ? parent[key] : undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${where}${key} must be a number of at least 0`);
  return v;
}

export function parseServerProfile(text: string): ServerProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    fail(`not JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) fail('the file must hold a JSON object');
  if (!Object.hasOwn(raw, 'scimmapServer')) fail('scimmapServer is missing: this is not a file scimmap server pull wrote');
  if (raw.scimmapServer !== 1) fail(`scimmapServer is ${String(JSON.stringify(raw.scimmapServer)).slice(0, 40)}; this version of SCIM Mapper reads version 1`);
  const config = objectAt(raw, 'config', '');
  const bulk = objectAt(config, 'bulk', 'config.');
  const filter = objectAt(config, 'filter', 'config.');
  const users = objectAt(raw, 'users', '');
  const extensionsRaw = Object.hasOwn(users, 'extensions') ? users.extensions : undefined;
  if (!Array.isArray(extensionsRaw)) fail('users.extensions must be an array');
  if (extensionsRaw.length > MAX_EXTENSIONS) fail(`users.extensions lists more than ${MAX_EXTENSIONS} extensions`);
  const extensions = extensionsRaw.map((e, i) => {
    if (!isObj(e)) fail(`users.extensions[${i}] must be an object`);
    return { schema: stringAt(e, 'schema', `users.extensions[${i}].`), required: e.required === true };
  });
  const schemasRaw = objectAt(raw, 'schemas', '');
  const budget = { left: MAX_ATTRIBUTES };
  const schemas: Record<string, ServerAttribute[]> = Object.create(null) as Record<string, ServerAttribute[]>;
  const urns = Object.keys(schemasRaw);
  if (urns.length > MAX_EXTENSIONS + 1) fail(`schemas describes more than ${MAX_EXTENSIONS + 1} schemas`);
  for (const urn of urns) {
    if (urn.length > MAX_STRING) fail(`schemas has a key longer than ${MAX_STRING} characters`);
    schemas[urn] = attributes(schemasRaw[urn], `schemas["${urn}"]`, 0, budget);
  }
  return {
    scimmapServer: 1,
    endpoint: typeof raw.endpoint === 'string' ? raw.endpoint.slice(0, MAX_STRING) : '',
    fetchedAt: typeof raw.fetchedAt === 'string' ? raw.fetchedAt.slice(0, 64) : '',
    config: {
      patch: boolAt(config, 'patch', 'config.'),
      bulk: { supported: boolAt(bulk, 'supported', 'config.bulk.'), maxOperations: numberAt(bulk, 'maxOperations', 'config.bulk.'), maxPayloadSize: numberAt(bulk, 'maxPayloadSize', 'config.bulk.') },
      filter: { supported: boolAt(filter, 'supported', 'config.filter.'), maxResults: numberAt(filter, 'maxResults', 'config.filter.') },
      etag: boolAt(config, 'etag', 'config.'),
    },
    users: { endpoint: typeof users.endpoint === 'string' ? users.endpoint.slice(0, MAX_STRING) : '/Users', schema: stringAt(users, 'schema', 'users.'), extensions },
    schemas,
  };
}

function attributes(raw: unknown, where: string, depth: number, budget: { left: number }): ServerAttribute[] {
  if (!Array.isArray(raw)) fail(`${where} must be an array of attributes`);
  if (depth > MAX_DEPTH) fail(`${where}: attributes nest deeper than SCIM allows`);
  return raw.map((a, i) => {
    const at = `${where}[${i}]`;
    if (--budget.left < 0) fail(`more than ${MAX_ATTRIBUTES} attributes`);
    if (!isObj(a)) fail(`${at} must be an object`);
    const attr: ServerAttribute = { name: stringAt(a, 'name', `${at}.`), type: stringAt(a, 'type', `${at}.`), multiValued: boolAt(a, 'multiValued', `${at}.`) };
    if (Object.hasOwn(a, 'mutability')) attr.mutability = stringAt(a, 'mutability', `${at}.`);
    if (a.required === true) attr.required = true;
    if (Object.hasOwn(a, 'subAttributes')) attr.subAttributes = attributes(a.subAttributes, `${at}.subAttributes`, depth + 1, budget);
    return attr;
  });
}
