/**
 * The only place that talks HTTP to Graph: origin-pinned, never follows redirects, bounded by a timeout,
 * and turns everything into a small result object whose text has passed through `redact()`.
 */
import { randomUUID } from 'node:crypto';
import { assertSameOrigin, UploadEndpoint } from './endpoint';
import { redact, redactError } from '../../../delivery/redact';
import type { BulkRequest } from '../../../engine/types';
import { NetworkError, TargetRefusedError } from '../../../delivery/transport';

export type FetchLike = typeof fetch;

export interface GraphResponse {
  status: number;
  headers: Headers;
  text: string;
  requestId?: string;
  clientRequestId?: string;
  /** Graph error body `{ error: { code, message } }`, when present. */
  error?: { code: string; message: string };
}

export { NetworkError };

/** The server answered with a redirect; we never follow one (a token must not travel to another host). */
export class RedirectRefusedError extends TargetRefusedError {
  override name = 'RedirectRefusedError';
}

export interface GraphRequestOptions {
  method: 'GET' | 'POST' | 'PUT';
  token: string;
  body?: string;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  fetch?: FetchLike;
}

export const SCIM_CONTENT_TYPE = 'application/scim+json';

export async function graphRequest(endpoint: UploadEndpoint, url: string, opts: GraphRequestOptions): Promise<GraphResponse> {
  const target = assertSameOrigin(endpoint, url);
  const clientRequestId = randomUUID();
  const headers: Record<string, string> = {
    Authorization: `Bearer ${opts.token}`,
    Accept: 'application/json',
    'client-request-id': clientRequestId,
    'User-Agent': 'scim-mapper',
  };
  if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? SCIM_CONTENT_TYPE;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(target.href, { method: opts.method, headers, body: opts.body, redirect: 'manual', signal });
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    throw new NetworkError(`network error calling ${target.host}: ${timeout.aborted ? 'timed out' : redactError(e)}`);
  }
  let text: string;
  try {
    text = await res.text();
  } catch (e) {
    if (opts.signal?.aborted) throw e;
    throw new NetworkError(`connection dropped while reading the response from ${target.host}: ${redactError(e)}`);
  }
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location') ?? '';
    let where = 'an unknown location';
    try {
      const to = new URL(location, target);
      where = to.origin === target.origin ? `${to.pathname} on the same host` : `another host (${to.host})`;
    } catch {
      /* keep the generic text */
    }
    throw new RedirectRefusedError(
      `refused to follow a ${res.status} redirect from ${target.host} to ${where}: SCIM Mapper never follows redirects; check the endpoint URL`,
    );
  }
  return {
    status: res.status,
    headers: res.headers,
    text: redact(text),
    requestId: res.headers.get('request-id') ?? undefined,
    clientRequestId: res.headers.get('client-request-id') ?? clientRequestId,
    error: parseGraphError(text),
  };
}

export function parseGraphError(text: string): { code: string; message: string } | undefined {
  if (!text) return undefined;
  try {
    const j = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    if (j && typeof j === 'object' && j.error && typeof j.error === 'object') {
      return { code: String(j.error.code ?? 'Unknown'), message: redact(String(j.error.message ?? '')) };
    }
  } catch {
    /* not JSON */
  }
  return undefined;
}

export function postBulkRequest(
  endpoint: UploadEndpoint,
  request: BulkRequest,
  token: string,
  opts: Omit<GraphRequestOptions, 'method' | 'token' | 'body'> = {},
): Promise<GraphResponse> {
  return graphRequest(endpoint, endpoint.url, { ...opts, method: 'POST', token, body: JSON.stringify(request) });
}
