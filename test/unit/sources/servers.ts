/** Local HR API stand-ins on 127.0.0.1 (random ports), one route per documented paging and date scheme. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Person {
  id: string;
  first: string;
  last: string;
  email: string;
}

export function people(n: number): Person[] {
  return Array.from({ length: n }, (_, i) => ({ id: `E${1000 + i}`, first: `First${i}`, last: `Last${i}`, email: `p${i}@contoso.com` }));
}

export interface Hr {
  url: string;
  /** Requests seen: path + query, and the auth headers. */
  log: Array<{ url: string; authorization?: string; apiKey?: string }>;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, url: URL, res: http.ServerResponse, body: string) => void;

export async function serve(handler: Handler): Promise<Hr> {
  const log: Hr['log'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      log.push({ url: url.pathname + url.search, authorization: req.headers.authorization, apiKey: req.headers['x-api-key'] as string | undefined });
      handler(req, url, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function json(res: http.ServerResponse, body: unknown, headers: Record<string, string> = {}, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Every scheme of docs/sources.md over the same 7 people, 3 per page. */
export function hrApi(all: Person[], opts: { throttleOnce?: string; failPage?: string } = {}): Handler {
  const per = 3;
  const throttled = new Set<string>();
  return (req, url, res) => {
    const key = url.pathname + url.search;
    if (opts.throttleOnce && key.includes(opts.throttleOnce) && !throttled.has(key)) {
      throttled.add(key);
      return json(res, { error: 'slow down' }, { 'retry-after': '0' }, 429);
    }
    if (opts.failPage && key.includes(opts.failPage)) return json(res, { error: 'boom' }, {}, 500);
    const q = url.searchParams;
    switch (url.pathname) {
      case '/v4/People': {
        const skip = Number(q.get('$skip') ?? 0);
        const next = skip + per < all.length ? `/v4/People?$skip=${skip + per}` : undefined;
        return json(res, { '@odata.context': 'x', value: all.slice(skip, skip + per), ...(next ? { '@odata.nextLink': `http://${req.headers.host}${next}` } : {}) });
      }
      case '/odata/v2/PerPerson': {
        const skip = Number(q.get('$skiptoken') ?? 0);
        const rows = all.slice(skip, skip + per).map((p, i) => ({
          __metadata: { uri: `PerPerson('${p.id}')`, type: 'SFOData.PerPerson' },
          personIdExternal: p.id,
          dateOfBirth: `/Date(${Date.UTC(1990, 0, 1 + skip + i)})/`,
          lastModifiedDateTime: `/Date(${1492098664000 + (skip + i) * 1000}+0000)/`,
          personalInfoNav: { results: [{ firstName: p.first, lastName: p.last, startDate: '/Date(1577836800000)/' }] },
        }));
        const next = skip + per < all.length ? `http://${req.headers.host}/odata/v2/PerPerson?$format=json&$skiptoken=${skip + per}` : undefined;
        return json(res, { d: { results: rows, ...(next ? { __next: next } : {}) } });
      }
      case '/link': {
        const page = Number(q.get('page') ?? 1);
        const rows = all.slice((page - 1) * per, page * per);
        const last = Math.ceil(all.length / per);
        const link = page < last ? `<http://${req.headers.host}/link?page=${page + 1}>; rel="next", <http://${req.headers.host}/link?page=${last}>; rel="last"` : `<http://${req.headers.host}/link?page=1>; rel="first"`;
        return json(res, rows, { link });
      }
      case '/offset': {
        const offset = Number(q.get('offset'));
        const limit = Number(q.get('limit'));
        return json(res, { data: { items: all.slice(offset, offset + limit), total: all.length } });
      }
      case '/pages': {
        const page = Number(q.get('page'));
        return json(res, { results: all.slice((page - 1) * per, page * per) });
      }
      case '/cursor': {
        const at = q.get('cursor') ? Number(Buffer.from(q.get('cursor')!, 'base64url').toString()) : 0;
        const nextAt = at + per;
        return json(res, { records: all.slice(at, nextAt), meta: { next_cursor: nextAt < all.length ? Buffer.from(String(nextAt)).toString('base64url') : null } });
      }
      case '/ccx/service/customreport2/contoso/ISU/HR_Workers': {
        if (q.get('format') !== 'json') {
          res.writeHead(200, { 'content-type': 'application/xml' });
          return res.end('<wd:Report_Data/>');
        }
        return json(res, { Report_Entry: all.map((p, i) => ({ Employee_ID: p.id, Legal_Name_First_Name: p.first, Legal_Name_Last_Name: p.last, Email_Address: p.email, Hire_Date: `2020-03-${String(10 + i).padStart(2, '0')}-07:00` })) });
      }
      case '/oauth/token': {
        return json(res, { access_token: 'tok-from-endpoint', token_type: 'Bearer', expires_in: 3600 });
      }
      case '/redirect-away':
        res.writeHead(302, { location: 'http://localhost:1/elsewhere' });
        return res.end();
      default:
        return json(res, { error: 'not found' }, {}, 404);
    }
  };
}
