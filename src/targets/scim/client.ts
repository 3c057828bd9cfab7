/**
 * HTTP to a SCIM service provider: origin-pinned (no redirects followed, every URL built from the base), bearer
 * token, `application/scim+json`, bounded response size and time. Errors carry the RFC 7644 §3.12 `scimType`.
 */
import { NetworkError, TargetRefusedError } from '../../delivery/transport';
import { redactError } from '../../delivery/redact';
import type { ScimEndpoint } from './endpoint';

export const SCIM_JSON = 'application/scim+json';
const MAX_RESPONSE_CHARS = 4 * 1024 * 1024;

export type FetchLike = typeof fetch;

export interface ScimResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, when it is JSON. */
  json?: Record<string, unknown>;
  /** RFC 7644 §3.12 error fields, when the body is a SCIM error. */
  scimType?: string;
  detail?: string;
}

export interface ScimRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below the base URL, starting with '/', with any query string already encoded. */
  path: string;
  token: string;
  body?: unknown;
  ifMatch?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export class ScimClient {
  constructor(
    readonly endpoint: ScimEndpoint,
    private readonly fetchImpl: FetchLike = fetch,
  ) {}

  async request(r: ScimRequest): Promise<ScimResponse> {
    if (!r.path.startsWith('/') || r.path.startsWith('//')) throw new TargetRefusedError(`refused: bad SCIM path ${r.path.slice(0, 80)}`);
    const url = new URL(this.endpoint.url + r.path);
    if (url.origin !== this.endpoint.origin) throw new TargetRefusedError(`refused: ${url.origin} is not the endpoint's origin`);
    const headers: Record<string, string> = { authorization: `Bearer ${r.token}`, accept: `${SCIM_JSON}, application/json` };
    if (r.body !== undefined) headers['content-type'] = SCIM_JSON;
    if (r.ifMatch) headers['if-match'] = r.ifMatch;
    const timeout = AbortSignal.timeout(r.timeoutMs ?? 60_000);
    const signal = r.signal ? AbortSignal.any([r.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.fetchImpl(url.href, { method: r.method, headers, body: r.body === undefined ? undefined : JSON.stringify(r.body), redirect: 'manual', signal });
    } catch (e) {
      throw new NetworkError(`network error calling ${url.host}: ${timeout.aborted ? 'timed out' : redactError(e)}`);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new TargetRefusedError(`refused: ${url.host} answered ${r.method} ${r.path.split('?')[0]} with a redirect (HTTP ${res.status}); redirects are not followed`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      throw new NetworkError(`connection dropped while reading the response from ${url.host}: ${redactError(e)}`);
    }
    if (text.length > MAX_RESPONSE_CHARS) text = text.slice(0, MAX_RESPONSE_CHARS);
    const out: ScimResponse = { status: res.status, headers: res.headers, text };
    if (text) {
      try {
        const j = JSON.parse(text) as unknown;
        if (j && typeof j === 'object' && !Array.isArray(j)) out.json = j as Record<string, unknown>;
      } catch {
        /* not JSON: kept as text */
      }
    }
    if (res.status >= 400 && out.json) {
      if (typeof out.json.scimType === 'string') out.scimType = out.json.scimType;
      if (typeof out.json.detail === 'string') out.detail = out.json.detail;
    }
    return out;
  }
}

/** A SCIM filter string literal (RFC 7644 §3.4.2.2: JSON string rules). */
export function filterLiteral(value: string): string {
  return JSON.stringify(value);
}
