// Figure 8: SCIM target, /Bulk vs one user per request, against scimmy + scimmy-routers (the test server of
// test/unit/scim-target, in this process on 127.0.0.1). `users` generated people (a manager tree: person i reports
// to person ⌊(i − 1) / 5⌋, so managers come first), the test mapping (core + enterprise + manager). Per run and per
// path: a first upload to an empty server (creates) and a second one with every title changed (updates); runs
// interleaved (one-by-one, then Bulk). Both paths unpaced (rate 1,000/s, concurrency 4): this measures what the
// protocol costs, not the default pacing (20 operations/s would cap one-by-one at 20 users/s).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadTs, root, summary } from './util.mjs';

function people(n, titleSuffix) {
  const rows = ['id,first,last,email,dept,title,manager,status'];
  for (let i = 0; i < n; i++) {
    const id = `E${String(i).padStart(6, '0')}`;
    const mgr = i === 0 ? '' : `E${String(Math.floor((i - 1) / 5)).padStart(6, '0')}`;
    rows.push(`${id},First${i},Last${i},user${i}@example.org,Dept${i % 17},Title${i % 11}${titleSuffix},${mgr},Active`);
  }
  return `${rows.join('\n')}\n`;
}

export async function scimBulk({ tmp, users, runs, log }) {
  // Built under the repository so that the helper's require('express'|'scimmy'…) resolves to node_modules.
  const build = join(root, 'out', 'bench-build');
  const { startScimmy, TOKEN } = await loadTs('test/unit/scim-target/scimmyServer.ts', build);
  const scim = await loadTs('src/targets/scim/index.ts', build);
  const pipeline = await loadTs('src/engine/pipeline.ts', build);
  const dir = join(tmp, 'scim-bulk');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(root, 'test/fixtures/scim-target/hr.scimmap.yaml'), join(dir, 'hr.scimmap.yaml'));
  const server = await startScimmy();
  const tokens = { description: 'bench', getToken: async () => TOKEN };
  const out = { users, runs, server: 'scimmy 1.3 + scimmy-routers on express (in-process, 127.0.0.1)', oneByOne: { create: [], update: [] }, bulk: { create: [], update: [] }, bulkRequests: [], lookups: [], lookupRequests: { oneByOne: [], bulk: [] } };
  try {
    const client = new scim.ScimClient(scim.parseScimEndpoint(server.base, {}));
    const profile = await scim.discover(client, TOKEN);
    const { mapping } = await pipeline.loadMappingFile(join(dir, 'hr.scimmap.yaml'));
    const send = async (bulk, csv) => {
      writeFileSync(join(dir, 'people.csv'), csv);
      const t = performance.now();
      const s = await scim.sendToScim(pipeline.toBulkRequests(pipeline.transformFile(mapping, {}), 50, undefined, undefined), { client, server: profile, tokens, bulk: bulk ? {} : false, concurrency: 4, pacing: { maxCalls: 1000, windowMs: 1000 } });
      const sec = (performance.now() - t) / 1000;
      const bad = s.records.filter((r) => r.status !== 'accepted');
      if (bad.length) throw new Error(`scimBulk: ${bad.length} operations not accepted (${bad[0].errorCode}: ${bad[0].errorMessage})`);
      if (server.users.size !== users) throw new Error(`scimBulk: ${server.users.size} users on the server, expected ${users}`);
      return { rate: users / sec, via: s.via };
    };
    for (let i = 0; i < runs; i++) {
      for (const bulk of [false, true]) {
        server.users.clear();
        server.requests.length = 0;
        server.bulkRequests.length = 0;
        const c = await send(bulk, people(users, ''));
        const before = server.requests.length;
        const u = await send(bulk, people(users, ' II'));
        out.lookupRequests[bulk ? 'bulk' : 'oneByOne'].push(server.requests.slice(before).filter((q) => q.method === 'GET' && q.path.endsWith('/Users')).length);
        const key = bulk ? 'bulk' : 'oneByOne';
        out[key].create.push(c.rate);
        out[key].update.push(u.rate);
        if (bulk) {
          out.bulkRequests.push(server.bulkRequests.length);
          out.lookups.push(u.via.bulk.lookups);
        }
        log(`  ${bulk ? '/Bulk' : 'one by one'}: create ${c.rate.toFixed(0)} users/s, update ${u.rate.toFixed(0)} users/s`);
      }
    }
  } finally {
    await server.close();
  }
  const ratio = (k) => out.bulk[k].map((b, i) => b / out.oneByOne[k][i]);
  return {
    users,
    server: out.server,
    oneByOne: { create: summary(out.oneByOne.create), update: summary(out.oneByOne.update) },
    bulk: { create: summary(out.bulk.create), update: summary(out.bulk.update) },
    ratio: { create: summary(ratio('create')), update: summary(ratio('update')) },
    bulkRequestsPerRun: summary(out.bulkRequests),
    rerunLookups: [...new Set(out.lookups)].join(', '),
    loadAverage: loadavg()[0],
    rerunLookupRequests: { oneByOne: summary(out.lookupRequests.oneByOne), bulk: summary(out.lookupRequests.bulk) },
  };
}
