/** Where the records and the next page are in a response: dot paths, Link headers, offsets, pages and cursors. */
import type { PagingConfig } from '../engine/mapping/sourceFromModel';

/** `data.items` → value; keys with dots can be written `['@odata.nextLink']`-free: the whole key is tried first. */
export function atPath(body: unknown, path: string): unknown {
  if (body && typeof body === 'object' && Object.prototype.hasOwnProperty.call(body, path)) return (body as Record<string, unknown>)[path];
  let cur = body;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const RECORD_PATHS = ['value', 'd.results', 'Report_Entry', 'results', 'data', 'items', 'records'];
const NEXT_PATHS = ['@odata.nextLink', 'd.__next', '__next', 'odata.nextLink', 'next', 'links.next', 'paging.next'];

/** The records array of a page: at `path`, else the body itself when it is an array, else the first usual place. */
export function recordsOf(body: unknown, path: string | undefined): unknown[] | undefined {
  if (path) {
    const v = atPath(body, path);
    return Array.isArray(v) ? v : undefined;
  }
  if (Array.isArray(body)) return body;
  for (const p of RECORD_PATHS) {
    const v = atPath(body, p);
    if (Array.isArray(v)) return v;
  }
  return undefined;
}

export function nextLinkOf(body: unknown, paging: PagingConfig): string | undefined {
  for (const p of paging.nextPath ? [paging.nextPath] : NEXT_PATHS) {
    const v = atPath(body, p);
    if (typeof v === 'string' && v !== '') return v;
    if (v && typeof v === 'object' && typeof (v as { href?: unknown }).href === 'string') return (v as { href: string }).href;
  }
  return undefined;
}

/** `<https://…?page=2>; rel="next", <…>; rel="last"` → the next URL. A linear scan: the header is untrusted. */
export function linkHeaderNext(header: string | null): string | undefined {
  if (!header || header.length > 16_384) return undefined;
  for (const part of header.split(',')) {
    const lt = part.indexOf('<');
    const gt = part.indexOf('>', lt + 1);
    if (lt < 0 || gt < 0) continue;
    const params = part.slice(gt + 1).split(';');
    for (const param of params) {
      const eq = param.indexOf('=');
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'rel') continue;
      const rels = param.slice(eq + 1).trim().replace(/^"|"$/g, '').toLowerCase().split(' ');
      if (rels.includes('next')) return part.slice(lt + 1, gt).trim();
    }
  }
  return undefined;
}

export function withQuery(url: string, params: Record<string, string | number>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.href;
}
