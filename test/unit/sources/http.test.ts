import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceError } from '../../../src/sources';
import { collect, configOf } from './helpers';
import { hrApi, people, serve } from './servers';

const ALL = people(7);
const ids = (rs: Record<string, unknown>[], key = 'id') => rs.map((r) => r[key]);

test('rest: OData v4 value + @odata.nextLink', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const { records, pages } = await collect(configOf(`type: rest\nurl: ${hr.url}/v4/People\npaging:\n  type: nextLink`));
    assert.deepEqual(ids(records), ALL.map((p) => p.id));
    assert.equal(pages, 3);
  } finally {
    await hr.close();
  }
});

test('rest: Link rel="next" header, array bodies', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const { records, pages } = await collect(configOf(`type: rest\nurl: ${hr.url}/link\npaging:\n  type: linkHeader`));
    assert.deepEqual(ids(records), ALL.map((p) => p.id));
    assert.equal(pages, 3);
  } finally {
    await hr.close();
  }
});

test('rest: offset/limit with records at data.items, stops on a short page', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const { records } = await collect(configOf(`type: rest\nurl: ${hr.url}/offset\nrecords: data.items\npaging:\n  type: offset\n  pageSize: 2`));
    assert.deepEqual(ids(records), ALL.map((p) => p.id));
    assert.deepEqual(hr.log.map((l) => l.url), ['/offset?offset=0&limit=2', '/offset?offset=2&limit=2', '/offset?offset=4&limit=2', '/offset?offset=6&limit=2']);
  } finally {
    await hr.close();
  }
});

test('rest: page numbers, stops on an empty page', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const { records, pages } = await collect(configOf(`type: rest\nurl: ${hr.url}/pages\npaging:\n  type: page`));
    assert.deepEqual(ids(records), ALL.map((p) => p.id));
    assert.equal(pages, 4);
  } finally {
    await hr.close();
  }
});

test('rest: cursor in the body, sent back as a query parameter', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const { records } = await collect(configOf(`type: rest\nurl: ${hr.url}/cursor\nrecords: records\npaging:\n  type: cursor\n  nextPath: meta.next_cursor\n  cursorParam: cursor`));
    assert.deepEqual(ids(records), ALL.map((p) => p.id));
  } finally {
    await hr.close();
  }
});

test('successfactors: OData v2 d.results + d.__next, /Date()/ values become UTC xsd:dateTime, query options', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const config = configOf(`type: successfactors\nurl: ${hr.url}/odata/v2\nentity: PerPerson\nselect: personIdExternal,dateOfBirth\nexpand: personalInfoNav\nfilter: "lastModifiedDateTime ge datetimeoffset'2024-01-01T00:00:00Z'"\nasOfDate: "2026-01-31"\npageSize: 500`);
    const { records, pages } = await collect(config);
    assert.equal(pages, 3);
    assert.deepEqual(ids(records, 'personIdExternal'), ALL.map((p) => p.id));
    assert.equal(records[0].dateOfBirth, '1990-01-01T00:00:00Z');
    assert.equal(records[0].lastModifiedDateTime, '2017-04-13T15:51:04Z');
    assert.equal((records[1].personalInfoNav as { results: Array<{ startDate: string }> }).results[0].startDate, '2020-01-01T00:00:00Z');
    const first = new URL(hr.url + hr.log[0].url);
    assert.equal(first.pathname, '/odata/v2/PerPerson');
    assert.equal(first.searchParams.get('$format'), 'json');
    assert.equal(first.searchParams.get('$select'), 'personIdExternal,dateOfBirth');
    assert.equal(first.searchParams.get('$expand'), 'personalInfoNav');
    assert.equal(first.searchParams.get('$filter'), "lastModifiedDateTime ge datetimeoffset'2024-01-01T00:00:00Z'");
    assert.equal(first.searchParams.get('asOfDate'), '2026-01-31');
    assert.equal(first.searchParams.get('customPageSize'), '500');
  } finally {
    await hr.close();
  }
});

test('workday: RaaS Report_Entry with format=json added, basic auth from the named variables', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const config = configOf(`type: workday\nurl: ${hr.url}/ccx/service/customreport2/contoso/ISU/HR_Workers\nauth:\n  type: basic\n  usernameEnv: WD_USER\n  passwordEnv: WD_PASSWORD`);
    const env: Record<string, string> = { WD_USER: 'ISU_HR', WD_PASSWORD: 'pa:ss' };
    const { records } = await collect(config, { secrets: (n) => env[n] });
    assert.deepEqual(ids(records, 'Employee_ID'), ALL.map((p) => p.id));
    assert.equal(records[0].Hire_Date, '2020-03-10-07:00', 'Workday dates are left for $workdayDate');
    assert.match(hr.log[0].url, /format=json/);
    assert.equal(hr.log[0].authorization, `Basic ${Buffer.from('ISU_HR:pa:ss').toString('base64')}`);
  } finally {
    await hr.close();
  }
});

test('auth: bearer, API key header and OAuth2 client credentials against a local token endpoint', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    const env: Record<string, string> = { HR_TOKEN: 't0ken', HR_KEY: 'k3y', HR_CID: 'cid', HR_SECRET: 's3cret' };
    const secrets = (n: string) => env[n];
    await collect(configOf(`type: rest\nurl: ${hr.url}/link\nauth:\n  type: bearer\n  tokenEnv: HR_TOKEN`), { secrets });
    assert.equal(hr.log.at(-1)!.authorization, 'Bearer t0ken');
    await collect(configOf(`type: rest\nurl: ${hr.url}/link\nauth:\n  type: apiKey\n  keyEnv: HR_KEY`), { secrets });
    assert.equal(hr.log.at(-1)!.apiKey, 'k3y');
    hr.log.length = 0;
    await collect(configOf(`type: rest\nurl: ${hr.url}/link\npaging:\n  type: linkHeader\nauth:\n  type: oauth2\n  tokenUrl: ${hr.url}/oauth/token\n  clientIdEnv: HR_CID\n  clientSecretEnv: HR_SECRET\n  scope: people.read`), { secrets });
    assert.equal(hr.log[0].url, '/oauth/token');
    assert.deepEqual(hr.log.slice(1).map((l) => l.authorization), ['Bearer tok-from-endpoint', 'Bearer tok-from-endpoint', 'Bearer tok-from-endpoint'], 'one token for every page');
  } finally {
    await hr.close();
  }
});

test('auth: a missing variable is named, its value never appears', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/link\nauth:\n  type: bearer\n  tokenEnv: HR_TOKEN`)), /rest source: the token is missing: set the environment variable HR_TOKEN/);
    assert.equal(hr.log.length, 0, 'nothing sent without the credential');
  } finally {
    await hr.close();
  }
});

test('throttling: 429 with Retry-After is retried, every record arrives once', async () => {
  const hr = await serve(hrApi(ALL, { throttleOnce: '$skip=3' }));
  try {
    const retries: string[] = [];
    const { records } = await collect(configOf(`type: rest\nurl: ${hr.url}/v4/People\npaging:\n  type: nextLink`), { onRetry: (r) => retries.push(`${r.page}:${r.reason}`) });
    assert.deepEqual(ids(records), ALL.map((p) => p.id));
    assert.deepEqual(retries.map((r) => r.split(':')[0]), ['2']);
    assert.match(retries[0], /HTTP 429/);
  } finally {
    await hr.close();
  }
});

test('a failing page: a clear error naming the connector and the page, after the retries', async () => {
  const hr = await serve(hrApi(ALL, { failPage: '$skip=6' }));
  try {
    const seen: unknown[] = [];
    const err = await collect(configOf(`type: rest\nurl: ${hr.url}/v4/People\nretries: 2\npaging:\n  type: nextLink`), { onPage: () => seen.push(1) }).catch((e) => e);
    assert.ok(err instanceof SourceError);
    assert.match(err.message, /^rest source, page 3: GET http:\/\/127\.0\.0\.1:\d+\/v4\/People\?… failed after 3 attempts: HTTP 500/);
    assert.equal(hr.log.filter((l) => l.url.includes('$skip=6')).length, 3);
  } finally {
    await hr.close();
  }
});

test('a 401 is not retried and says to check the credentials', async () => {
  const hr = await serve((_req, _url, res) => {
    res.writeHead(401);
    res.end();
  });
  try {
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/x\nauth:\n  type: bearer\n  tokenEnv: T`), { secrets: () => 'x' }), /page 1: .*HTTP 401 \(check the credentials named in source.from.auth\)/);
    assert.equal(hr.log.length, 1);
  } finally {
    await hr.close();
  }
});

test('redirects to another host and next links to another host are refused', async () => {
  const hr = await serve((req, url, res) => {
    if (url.pathname === '/away') {
      res.writeHead(302, { location: 'http://localhost:1/steal' });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ value: [{ id: 1 }], '@odata.nextLink': 'http://localhost:2/more' }));
  });
  try {
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/away\nauth:\n  type: bearer\n  tokenEnv: T`), { secrets: () => 'x' }), /refused a redirect from http:\/\/127\.0\.0\.1:\d+ to another host \(http:\/\/localhost:1\)/);
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/list\npaging:\n  type: nextLink`)), /page 1: refused a next page on another host/);
  } finally {
    await hr.close();
  }
});

test('a body that is not JSON, or has no records array, is a located error', async () => {
  const hr = await serve(hrApi(ALL));
  try {
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/ccx/service/customreport2/contoso/ISU/HR_Workers?format=xml`)), /rest source, page 1: .* did not answer JSON/);
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/offset?offset=0&limit=1\nrecords: data.nothing`)), /no records array at 'data.nothing'/);
  } finally {
    await hr.close();
  }
});

test('a paging loop (the same next link again) stops with an error', async () => {
  const hr = await serve((req, _url, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ value: [{ id: 1 }], '@odata.nextLink': `http://${req.headers.host}/same` }));
  });
  try {
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/same\npaging:\n  type: nextLink`)), /page 2: the next page is .* again/);
  } finally {
    await hr.close();
  }
});

test('workday oauth2Refresh: a refresh-token grant to the token endpoint, then the report with the bearer token', async () => {
  const forms: URLSearchParams[] = [];
  const hr = await serve((req, url, res, body) => {
    if (url.pathname === '/ccx/oauth2/contoso/token') {
      forms.push(new URLSearchParams(body));
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ access_token: 'wd-access', expires_in: 3600 }));
    }
    hrApi(ALL)(req, url, res, body);
  });
  try {
    const env: Record<string, string> = { WD_CLIENT: 'cid', WD_SECRET: 'sec', WD_REFRESH: 'rt' };
    const config = configOf(`type: workday\nurl: ${hr.url}/ccx/service/customreport2/contoso/ISU/HR_Workers\nauth:\n  type: oauth2Refresh\n  tokenUrl: ${hr.url}/ccx/oauth2/contoso/token\n  clientIdEnv: WD_CLIENT\n  clientSecretEnv: WD_SECRET\n  refreshTokenEnv: WD_REFRESH`);
    const { records } = await collect(config, { secrets: (n) => env[n] });
    assert.equal(records.length, 7);
    assert.deepEqual(Object.fromEntries(forms[0]), { client_id: 'cid', client_secret: 'sec', grant_type: 'refresh_token', refresh_token: 'rt' });
    assert.equal(hr.log.at(-1)!.authorization, 'Bearer wd-access');
  } finally {
    await hr.close();
  }
});

test('a server that does not answer: a timeout per request, named with the page', async () => {
  const hr = await serve(() => undefined); // never answers
  try {
    await assert.rejects(collect(configOf(`type: rest\nurl: ${hr.url}/slow\ntimeoutSeconds: 1\nretries: 1`)), /rest source, page 1: GET .* failed after 2 attempts: no answer within 1 s/);
  } finally {
    await hr.close();
  }
});
