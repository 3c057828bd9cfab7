/**
 * The generic JSON-over-HTTPS connector; workday and successfactors are configurations of it. Pages are read one
 * at a time (memory: one page), records come out in order with a running index.
 */
import type { HttpSource } from '../engine/mapping/sourceFromModel';
import { authorizer } from './auth';
import { SourceError } from './errors';
import { HttpOptions, redactUrl, request } from './http';
import { linkHeaderNext, nextLinkOf, recordsOf, withQuery } from './paging';
import type { OpenSourceOptions, SourceStream } from './types';

export interface HttpFlavour {
  /** The first page's URL (query parameters of the mapping added). */
  firstUrl(config: HttpSource): string;
  /** Default records path when the mapping gives none. */
  recordsPath?: string;
  /** Per-record rewriting (e.g. OData v2 dates). */
  record?(value: Record<string, unknown>): Record<string, unknown>;
  headers?: Record<string, string>;
}

export const restFlavour: HttpFlavour = {
  firstUrl: (c) => withQuery(c.url, c.query),
};

export async function* readHttp(config: HttpSource, flavour: HttpFlavour, opts: OpenSourceOptions): SourceStream {
  const connector = config.type;
  const http: HttpOptions = { connector, timeoutMs: config.timeoutSeconds * 1000, retries: config.retries, signal: opts.signal, backoffMs: opts.backoffMs, onRetry: opts.onRetry, fetchImpl: opts.fetchImpl };
  const auth = authorizer(config.auth, opts.secrets, http);
  const paging = config.paging;
  const pageSize = paging.pageSize ?? 100;
  const firstUrl = flavour.firstUrl(config);
  const origin = new URL(firstUrl).origin;
  let url: string | undefined = firstUrl;
  if (paging.type === 'offset') url = withQuery(firstUrl, { [paging.offsetParam ?? 'offset']: 0, [paging.limitParam ?? 'limit']: pageSize });
  if (paging.type === 'page') url = withQuery(firstUrl, { [paging.pageParam ?? 'page']: paging.startPage ?? 1, ...(paging.limitParam ? { [paging.limitParam]: pageSize } : {}) });
  let index = 0;
  const seen = new Set<string>();
  for (let page = 1; url !== undefined; page++) {
    if (page > config.maxPages) throw new SourceError(connector, `more than ${config.maxPages} pages (source.from.maxPages); stopped`, page);
    if (seen.has(url)) throw new SourceError(connector, `the next page is ${redactUrl(url)} again: the server's paging loops`, page);
    if (seen.size < 10_000) seen.add(url);
    const headers = { accept: 'application/json', ...flavour.headers, ...lower(config.headers), ...(await auth.headers()) };
    let res;
    try {
      res = await request('GET', url, { headers, page }, http);
    } catch (e) {
      // A token that expired mid-run: fetch a new one once.
      if (e instanceof SourceError && / HTTP 401\b/.test(e.message) && auth.invalidate()) res = await request('GET', url, { headers: { ...headers, ...(await auth.headers()) }, page }, http);
      else throw e;
    }
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new SourceError(connector, `${redactUrl(url)} did not answer JSON (content-type ${res.headers.get('content-type') ?? 'none'})${config.type === 'workday' ? '; a RaaS URL needs format=json' : ''}`, page);
    }
    const records = recordsOf(body, config.records ?? flavour.recordsPath);
    if (!records) throw new SourceError(connector, `no records array ${config.records ?? flavour.recordsPath ? `at '${config.records ?? flavour.recordsPath}'` : '(set source.from.records to its path, e.g. data.items)'} in the response`, page);
    for (const r of records) {
      if (!r || typeof r !== 'object' || Array.isArray(r)) throw new SourceError(connector, `record ${index + 1} is not a JSON object`, page);
      yield { index: index++, value: flavour.record ? flavour.record(r as Record<string, unknown>) : (r as Record<string, unknown>) };
    }
    opts.onPage?.({ pages: page, records: index });
    url = nextUrl(config, body, res.headers, res.url, page, records.length, pageSize);
    if (url !== undefined) {
      url = new URL(url, res.url).href;
      if (new URL(url).origin !== origin) throw new SourceError(connector, `refused a next page on another host (${new URL(url).origin})`, page);
    }
  }
}

function nextUrl(config: HttpSource, body: unknown, headers: Headers, current: string, page: number, count: number, pageSize: number): string | undefined {
  const p = config.paging;
  switch (p.type) {
    case 'none':
      return undefined;
    case 'nextLink':
      return nextLinkOf(body, p);
    case 'linkHeader':
      return linkHeaderNext(headers.get('link'));
    case 'offset': {
      if (count < pageSize || count === 0) return undefined;
      const param = p.offsetParam ?? 'offset';
      const at = Number(new URL(current).searchParams.get(param) ?? 0);
      return withQuery(current, { [param]: at + count });
    }
    case 'page': {
      if (count === 0 || (p.limitParam && count < pageSize)) return undefined;
      return withQuery(current, { [p.pageParam ?? 'page']: (p.startPage ?? 1) + page });
    }
    case 'cursor': {
      const cursor = nextLinkOf(body, p);
      return cursor === undefined ? undefined : withQuery(current, { [p.cursorParam!]: cursor });
    }
  }
}

function lower(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = v;
  return out;
}
