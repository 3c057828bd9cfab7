/**
 * The HTTP client shared by the rest, workday and successfactors connectors: https only (plain http to loopback
 * for tests), per-request timeout, retries with exponential backoff on network errors, 5xx and 429 (honouring
 * Retry-After), redirects followed only to the same origin, bodies capped in size. Errors name the connector and page.
 */
import { endpointProblem } from '../engine/mapping/sourceFrom';
import { SourceError } from './errors';

export const MAX_PAGE_BYTES = 64 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const MAX_RETRY_AFTER_MS = 300_000;

export interface HttpOptions {
  connector: string;
  timeoutMs: number;
  retries: number;
  signal?: AbortSignal;
  /** Base of the exponential backoff (tests shorten it). */
  backoffMs?: number;
  /** Called before each retry (progress on stderr). */
  onRetry?: (info: { page: number; attempt: number; delayMs: number; reason: string }) => void;
  fetchImpl?: typeof fetch;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  url: string;
  text: string;
}

export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d{1,9}$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.min(Math.max(0, t - now), MAX_RETRY_AFTER_MS);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function readCapped(res: Response, connector: string, page: number): Promise<string> {
  const len = Number(res.headers.get('content-length'));
  if (len > MAX_PAGE_BYTES) throw new SourceError(connector, `the response is ${len} bytes; pages of more than ${MAX_PAGE_BYTES} bytes are refused (ask for smaller pages)`, page);
  if (!res.body) return '';
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > MAX_PAGE_BYTES) throw new SourceError(connector, `the response exceeds ${MAX_PAGE_BYTES} bytes; ask for smaller pages`, page);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A short, secret-free description of a failed response (the body may echo HR data: only its first line, cut). */
function statusText(res: HttpResponse): string {
  const first = res.text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return `HTTP ${res.status}${first ? `: ${first}` : ''}`;
}

/**
 * One request with retries. `page` is the 1-based page number for messages. Non-2xx after the retries (or a
 * 4xx other than 408/429) is a SourceError.
 */
export async function request(method: 'GET' | 'POST', url: string, init: { headers: Record<string, string>; body?: string; page: number }, opts: HttpOptions): Promise<HttpResponse> {
  const doFetch = opts.fetchImpl ?? fetch;
  const backoff = opts.backoffMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    let res: HttpResponse | undefined;
    let reason: string;
    let wait: number | undefined;
    try {
      res = await once(doFetch, method, url, init, opts);
      if (res.status >= 200 && res.status < 300) return res;
      reason = statusText(res);
      if (res.status === 429 || res.status === 503) wait = retryAfterMs(res.headers.get('retry-after'));
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      if (!retryable) throw new SourceError(opts.connector, `${method} ${redactUrl(url)} failed: ${reason}${res.status === 401 || res.status === 403 ? ' (check the credentials named in source.from.auth)' : ''}`, init.page);
    } catch (e) {
      if (e instanceof SourceError) throw e;
      if (opts.signal?.aborted) throw opts.signal.reason;
      reason = (e as Error).name === 'TimeoutError' ? `no answer within ${Math.round(opts.timeoutMs / 1000)} s` : `network error: ${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}`;
    }
    if (attempt > opts.retries) throw new SourceError(opts.connector, `${method} ${redactUrl(url)} failed after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${reason}`, init.page);
    const delayMs = wait ?? Math.min(backoff * 2 ** (attempt - 1), 60_000) * (0.75 + Math.random() * 0.5);
    opts.onRetry?.({ page: init.page, attempt, delayMs, reason });
    await sleep(delayMs, opts.signal);
  }
}

async function once(doFetch: typeof fetch, method: string, url: string, init: { headers: Record<string, string>; body?: string; page: number }, opts: HttpOptions): Promise<HttpResponse> {
  let current = url;
  const origin = new URL(url).origin;
  for (let hop = 0; ; hop++) {
    const problem = endpointProblem(current);
    if (problem) throw new SourceError(opts.connector, problem, init.page);
    const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(opts.timeoutMs)]) : AbortSignal.timeout(opts.timeoutMs);
    const res = await doFetch(current, { method, headers: init.headers, body: init.body, redirect: 'manual', signal });
    if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
      await res.body?.cancel();
      const next = new URL(res.headers.get('location')!, current);
      // Credentials go with the request: never to another host (or from https down to http).
      if (next.origin !== origin) throw new SourceError(opts.connector, `refused a redirect from ${origin} to another host (${next.origin})`, init.page);
      if (hop >= MAX_REDIRECTS) throw new SourceError(opts.connector, `more than ${MAX_REDIRECTS} redirects`, init.page);
      current = next.href;
      continue;
    }
    const text = await readCapped(res, opts.connector, init.page);
    return { status: res.status, headers: res.headers, url: current, text };
  }
}

/** The URL without its query (which may carry keys some APIs put there) for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}
