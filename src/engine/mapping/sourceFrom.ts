/**
 * Reads `source.from` (an HR system as the source) with located diagnostics. A mapping may come from a hostile
 * repository, so the checks here are the first line of defence: the product's own credential variables
 * (SCIMMAP_*) can never be named, endpoints are https (plain http only to a loopback address), and secret values
 * are never accepted, only environment variable names.
 */
import { isMap, isScalar, isSeq, Node as YamlNode } from 'yaml';
import { didYouMean } from '../scim/suggest';
import type { Span } from './model';
import {
  AuthConfig, AuthType, PagingConfig, PagingType, SOURCE_TYPES, SourceConfig, SourceFromSection, SqlDriver,
} from './sourceFromModel';
import type { Reader } from './parse';

const AUTH_TYPES: readonly AuthType[] = ['none', 'basic', 'bearer', 'oauth2', 'apiKey', 'oauth2Refresh'];
const PAGING_TYPES: readonly PagingType[] = ['none', 'nextLink', 'linkHeader', 'offset', 'page', 'cursor'];
const SQL_DRIVERS: readonly SqlDriver[] = ['postgres', 'mssql', 'mysql'];
const HTTP_KEYS = ['type', 'url', 'auth', 'headers', 'query', 'records', 'paging', 'timeoutSeconds', 'retries', 'maxPages'];
export const SOURCE_FROM_KEYS: Record<string, readonly string[]> = {
  rest: HTTP_KEYS,
  workday: HTTP_KEYS,
  successfactors: [...HTTP_KEYS, 'entity', 'select', 'expand', 'filter', 'asOfDate', 'fromDate', 'toDate', 'pageSize'],
  sql: ['type', 'driver', 'connectionEnv', 'query', 'params', 'batchSize', 'timeoutSeconds'],
};
export const AUTH_KEYS = ['type', 'usernameEnv', 'passwordEnv', 'tokenEnv', 'tokenUrl', 'clientIdEnv', 'clientSecretEnv', 'refreshTokenEnv', 'scope', 'header', 'keyEnv'];
const AUTH_NEEDS: Record<AuthType, string[]> = {
  none: [],
  basic: ['usernameEnv', 'passwordEnv'],
  bearer: ['tokenEnv'],
  oauth2: ['tokenUrl', 'clientIdEnv', 'clientSecretEnv'],
  oauth2Refresh: ['tokenUrl', 'clientIdEnv', 'clientSecretEnv', 'refreshTokenEnv'],
  apiKey: ['keyEnv'],
};
export const PAGING_KEYS = ['type', 'nextPath', 'offsetParam', 'limitParam', 'pageSize', 'pageParam', 'startPage', 'cursorParam'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Headers that carry credentials or change where a request goes: set by `auth`, never by the mapping. */
const RESERVED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'host'];

/** True for 127.0.0.0/8, ::1 and localhost: the only places plain http may go (local tests and stand-ins). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Why a URL may not be a source endpoint, or undefined when it may. */
export function endpointProblem(raw: string): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `'${raw}' is not an absolute URL (https://…)`;
  }
  if (u.username || u.password) return 'the URL must not carry a user name or password: name environment variables in auth instead';
  if (u.protocol === 'https:') return undefined;
  if (u.protocol === 'http:' && isLoopbackHost(u.hostname)) return undefined;
  if (u.protocol === 'http:') return `plain http is allowed only to a loopback address (127.0.0.1, localhost); use https://${u.host}${u.pathname}`;
  return `unsupported scheme '${u.protocol}': use https://`;
}

/** Why a name may not be used for a source secret, or undefined. */
export function envNameProblem(name: string): string | undefined {
  if (!ENV_NAME.test(name)) return `'${name}' is not an environment variable name (letters, digits and '_'): the mapping names the variable, never the secret itself`;
  if (/^SCIMMAP_/i.test(name)) return `'${name}' is one of SCIM Mapper's own variables (SCIMMAP_*: the upload's secret and token); a mapping cannot send them to a source. Use a variable of your own, e.g. HR_API_TOKEN`;
  return undefined;
}

type Pairs = Map<string, { pair: { value: unknown }; key: Span }>;

class FromReader {
  ok = true;
  constructor(readonly r: Reader) {}

  err(span: Span, message: string, data?: unknown): void {
    this.ok = false;
    this.r.structure(span, message, data);
  }
  at(node: unknown, fallback: Span): Span {
    return this.r.span(node as YamlNode, fallback);
  }
  str(keys: Pairs, name: string, where: string): string | undefined {
    const e = keys.get(name);
    if (!e) return undefined;
    const s = this.r.string(e.pair.value, `'${where}.${name}'`, e.key);
    if (!s) this.ok = false;
    return s?.value;
  }
  int(keys: Pairs, name: string, where: string, min: number, max: number): number | undefined {
    const e = keys.get(name);
    if (!e) return undefined;
    const v = e.pair.value;
    if (isScalar(v) && typeof v.value === 'number' && Number.isInteger(v.value) && v.value >= min && v.value <= max) return v.value;
    this.err(this.at(v, e.key), `${where}.${name} must be a whole number from ${min} to ${max}`);
    return undefined;
  }
  env(keys: Pairs, name: string, where: string): string | undefined {
    const v = this.str(keys, name, where);
    if (v === undefined) return undefined;
    const problem = envNameProblem(v);
    if (problem) {
      this.err(this.at(keys.get(name)!.pair.value, keys.get(name)!.key), `${where}.${name}: ${problem}`, { refused: /^SCIMMAP_/i.test(v) });
      return undefined;
    }
    return v;
  }
  url(keys: Pairs, name: string, where: string): string | undefined {
    const v = this.str(keys, name, where);
    if (v === undefined) return undefined;
    const problem = endpointProblem(v);
    if (problem) {
      this.err(this.at(keys.get(name)!.pair.value, keys.get(name)!.key), `${where}.${name}: ${problem}`);
      return undefined;
    }
    return v;
  }
  oneOf<T extends string>(keys: Pairs, name: string, where: string, allowed: readonly T[]): T | undefined {
    const e = keys.get(name);
    const v = this.str(keys, name, where);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      const candidates = didYouMean(v, allowed as unknown as string[]);
      this.err(this.at(e!.pair.value, e!.key), `Unknown ${where}.${name} '${v}': use ${allowed.join(', ')}${candidates.length ? `. Did you mean '${candidates[0]}'?` : ''}`, { candidates });
      return undefined;
    }
    return v as T;
  }
  stringMap(keys: Pairs, name: string, where: string, check?: (k: string, span: Span) => boolean): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    const e = keys.get(name);
    if (!e) return out;
    for (const pair of this.r.pairs(e.pair.value, `'${where}.${name}'`, e.key)) {
      const k = this.r.key(pair, e.key);
      if (!k) continue;
      const v = pair.value;
      if (!isScalar(v) || v.value === null || typeof v.value === 'object') {
        this.err(this.at(v, k.span), `${where}.${name}.${k.name} must be a text value`);
        continue;
      }
      if (check && !check(k.name, k.span)) continue;
      out[k.name] = String(v.value);
    }
    return out;
  }
  section(node: unknown, allowed: readonly string[], where: string, at: Span): Pairs {
    const before = this.r.diagnostics.length;
    const keys = this.r.section(this.r.pairs(node, `'${where}'`, at), allowed, `'${where}'`, at) as unknown as Pairs;
    if (this.r.diagnostics.length > before) this.ok = false;
    return keys;
  }
}

export function readSourceFrom(r: Reader, node: unknown, at: Span): SourceFromSection {
  const f = new FromReader(r);
  const span = f.at(node, at);
  const section: SourceFromSection = { ...span };
  if (!isMap(node)) {
    f.err(span, "source.from must be a mapping with a 'type' (rest, workday, successfactors or sql), see docs/sources.md");
    return section;
  }
  const typeNode = node.items.find((p) => isScalar(p.key) && p.key.value === 'type');
  const all = f.section(node, [...new Set(Object.values(SOURCE_FROM_KEYS).flat())], 'source.from', span);
  if (!typeNode) {
    f.err(span, "source.from needs a 'type': rest, workday, successfactors or sql");
    return section;
  }
  const type = f.oneOf(all, 'type', 'source.from', SOURCE_TYPES);
  if (!type) return section;
  for (const [name, e] of all) {
    if (!SOURCE_FROM_KEYS[type].includes(name)) f.err(e.key, `'${name}' does not apply to a ${type} source (keys: ${SOURCE_FROM_KEYS[type].join(', ')})`);
  }
  const config = type === 'sql' ? readSql(f, all, span) : readHttp(f, type, all, span);
  if (f.ok && config) section.config = config;
  return section;
}

function readSql(f: FromReader, keys: Pairs, span: Span): SourceConfig | undefined {
  const driver = f.oneOf(keys, 'driver', 'source.from', SQL_DRIVERS);
  const connectionEnv = f.env(keys, 'connectionEnv', 'source.from');
  const query = f.str(keys, 'query', 'source.from');
  for (const [k, v] of [['driver', driver], ['connectionEnv', connectionEnv], ['query', query]] as const) {
    if (!keys.has(k)) f.err(span, `a sql source needs '${k}'${k === 'connectionEnv' ? ' (the NAME of the environment variable that holds the connection string)' : ''}`);
    else if (v === undefined) f.ok = false;
  }
  const params: Array<string | number | boolean | null> = [];
  const p = keys.get('params');
  if (p) {
    const v = p.pair.value;
    if (!isSeq(v)) f.err(f.at(v, p.key), 'source.from.params must be a list of values ($1, $2 … in the query)');
    else {
      for (const item of v.items) {
        if (isScalar(item) && (item.value === null || ['string', 'number', 'boolean'].includes(typeof item.value))) params.push(item.value as string | number | boolean | null);
        else f.err(f.at(item, p.key), 'each query parameter is a text, number, boolean or null');
      }
    }
  }
  if (!driver || !connectionEnv || query === undefined) return undefined;
  if (query.trim() === '') {
    f.err(f.at(keys.get('query')!.pair.value, keys.get('query')!.key), 'source.from.query is empty: write a SELECT');
    return undefined;
  }
  return {
    type: 'sql', driver, connectionEnv, query, params,
    batchSize: f.int(keys, 'batchSize', 'source.from', 1, 100_000) ?? 1000,
    timeoutSeconds: f.int(keys, 'timeoutSeconds', 'source.from', 1, 3600) ?? 300,
  };
}

function readHttp(f: FromReader, type: 'rest' | 'workday' | 'successfactors', keys: Pairs, span: Span): SourceConfig | undefined {
  if (!keys.has('url')) f.err(span, `a ${type} source needs 'url'${type === 'workday' ? ' (the RaaS report URL with format=json)' : type === 'successfactors' ? ' (the OData v2 base, https://<api-server>/odata/v2)' : ''}`);
  const url = f.url(keys, 'url', 'source.from');
  const auth = readAuth(f, keys, type);
  const headers = f.stringMap(keys, 'headers', 'source.from', (name, at) => {
    if (!HEADER_NAME.test(name)) f.err(at, `'${name}' is not an HTTP header name`);
    else if (RESERVED_HEADERS.includes(name.toLowerCase())) f.err(at, `the ${name} header is set by 'auth' (with secrets from the environment), not written in the mapping`);
    else return true;
    return false;
  });
  const query = f.stringMap(keys, 'query', 'source.from');
  const records = f.str(keys, 'records', 'source.from');
  const paging = readPaging(f, keys, type);
  const common = {
    url: url ?? '', auth, headers, query, records, paging,
    timeoutSeconds: f.int(keys, 'timeoutSeconds', 'source.from', 1, 3600) ?? 60,
    retries: f.int(keys, 'retries', 'source.from', 0, 10) ?? 4,
    maxPages: f.int(keys, 'maxPages', 'source.from', 1, 1_000_000) ?? 10_000,
  };
  if (url === undefined) return undefined;
  if (type !== 'successfactors') return { type, ...common };
  const dates: Record<string, string | undefined> = {};
  for (const d of ['asOfDate', 'fromDate', 'toDate']) {
    const v = f.str(keys, d, 'source.from');
    if (v !== undefined && !DATE.test(v)) f.err(f.at(keys.get(d)!.pair.value, keys.get(d)!.key), `source.from.${d} must be a date written yyyy-MM-dd, e.g. 2026-01-31`);
    else dates[d] = v;
  }
  if (dates.asOfDate && (dates.fromDate || dates.toDate)) f.err(keys.get('asOfDate')!.key, 'asOfDate (one day) and fromDate/toDate (a range) exclude each other');
  return {
    type, ...common,
    entity: f.str(keys, 'entity', 'source.from'),
    select: f.str(keys, 'select', 'source.from'),
    expand: f.str(keys, 'expand', 'source.from'),
    filter: f.str(keys, 'filter', 'source.from'),
    asOfDate: dates.asOfDate, fromDate: dates.fromDate, toDate: dates.toDate,
    pageSize: f.int(keys, 'pageSize', 'source.from', 1, 1000),
  };
}

function readAuth(f: FromReader, keys: Pairs, type: string): AuthConfig {
  const e = keys.get('auth');
  if (!e) return { type: 'none' };
  const a = f.section(e.pair.value, AUTH_KEYS, 'source.from.auth', e.key);
  const at = f.at(e.pair.value, e.key);
  if (!a.has('type')) {
    f.err(at, "source.from.auth needs a 'type': basic, bearer, oauth2, oauth2Refresh, apiKey or none");
    return { type: 'none' };
  }
  const t = f.oneOf(a, 'type', 'source.from.auth', AUTH_TYPES);
  if (!t) return { type: 'none' };
  const out: AuthConfig = { type: t };
  for (const name of ['usernameEnv', 'passwordEnv', 'tokenEnv', 'clientIdEnv', 'clientSecretEnv', 'refreshTokenEnv', 'keyEnv'] as const) {
    const v = f.env(a, name, 'source.from.auth');
    if (v !== undefined) out[name] = v;
  }
  const tokenUrl = f.url(a, 'tokenUrl', 'source.from.auth');
  if (tokenUrl !== undefined) out.tokenUrl = tokenUrl;
  const scope = f.str(a, 'scope', 'source.from.auth');
  if (scope !== undefined) out.scope = scope;
  const header = f.str(a, 'header', 'source.from.auth');
  if (header !== undefined) {
    if (!HEADER_NAME.test(header) || RESERVED_HEADERS.includes(header.toLowerCase())) f.err(f.at(a.get('header')!.pair.value, a.get('header')!.key), `'${header}' cannot carry an API key: name a header such as X-API-Key`);
    else out.header = header;
  }
  for (const need of AUTH_NEEDS[t]) if (!a.has(need)) f.err(at, `auth type ${t} needs '${need}'`);
  for (const name of a.keys()) {
    if (name !== 'type' && !AUTH_NEEDS[t].includes(name) && !(name === 'scope' && t.startsWith('oauth2')) && !(name === 'header' && t === 'apiKey')) {
      f.err(a.get(name)!.key, `'${name}' does not apply to auth type ${t}`);
    }
  }
  if (type === 'workday' && !['basic', 'oauth2Refresh', 'bearer'].includes(t)) f.err(at, 'a workday source signs in with basic (integration system user), oauth2Refresh or bearer');
  return out;
}

function readPaging(f: FromReader, keys: Pairs, type: string): PagingConfig {
  const e = keys.get('paging');
  const fallback: PagingConfig = { type: type === 'rest' ? 'none' : type === 'successfactors' ? 'nextLink' : 'none' };
  if (!e) return fallback;
  const p = f.section(e.pair.value, PAGING_KEYS, 'source.from.paging', e.key);
  const t = f.oneOf(p, 'type', 'source.from.paging', PAGING_TYPES);
  if (!t) {
    if (!p.has('type')) f.err(f.at(e.pair.value, e.key), `source.from.paging needs a 'type': ${PAGING_TYPES.join(', ')}`);
    return fallback;
  }
  const out: PagingConfig = { type: t };
  for (const name of ['nextPath', 'offsetParam', 'limitParam', 'pageParam', 'cursorParam'] as const) {
    const v = f.str(p, name, 'source.from.paging');
    if (v !== undefined) out[name] = v;
  }
  const pageSize = f.int(p, 'pageSize', 'source.from.paging', 1, 100_000);
  if (pageSize !== undefined) out.pageSize = pageSize;
  const startPage = f.int(p, 'startPage', 'source.from.paging', 0, 1);
  if (startPage !== undefined) out.startPage = startPage;
  if (t === 'cursor' && (!out.nextPath || !out.cursorParam)) f.err(f.at(e.pair.value, e.key), 'cursor paging needs nextPath (where the cursor is in the body) and cursorParam (the query parameter it goes in)');
  return out;
}
