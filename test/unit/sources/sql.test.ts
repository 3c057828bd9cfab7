import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openSource, SourceError } from '../../../src/sources';
import { collect, configOf } from './helpers';
import { Cluster, postgresBin, seedWorkers, startCluster } from './postgres';

const bin = postgresBin();
// CI installs PostgreSQL (.ci/run): missing binaries there are a failure, locally a skip with a reason.
if (!bin && process.env.CI) {
  test('PostgreSQL is installed for the sql connector tests', () => assert.fail('PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: .ci/run installs the postgresql package'));
}
const skip = bin ? false : 'PostgreSQL binaries not found (apt-get install postgresql); sql connector tests skipped';

let cluster: Cluster | undefined;
before(async () => {
  if (!bin) return;
  cluster = await startCluster(bin);
  seedWorkers(cluster, 2500);
});
after(() => cluster?.stop());

const source = (query: string, extra = '') => configOf(`type: sql\ndriver: postgres\nconnectionEnv: HR_DB_URL\nquery: "${query}"\nbatchSize: 1000\n${extra}`);

test('sql/postgres: streams every row in batches, with parameters', { skip }, async () => {
  const env = { HR_DB_URL: cluster!.url };
  const { records, pages } = await collect(source('SELECT * FROM workers WHERE active = $1 ORDER BY employee_id', 'params: [true]'), { secrets: (n: string) => env[n as 'HR_DB_URL'] });
  assert.equal(records.length, 2250);
  assert.equal(pages, 3);
  assert.deepEqual(records[0], { employee_id: 'E000001', first_name: 'First1', last_name: 'Last1', email: 'w1@contoso.com', hire_date: '2020-01-02', updated_at: '2024-05-01T08:01:00Z', active: true, salary_band: '9007199254740993' });
});

test('sql/postgres: a parameter is a value, never SQL', { skip }, async () => {
  const env = { HR_DB_URL: cluster!.url };
  const { records } = await collect(source('SELECT * FROM workers WHERE employee_id = $1', "params: [\"E000001' OR '1'='1\"]"), { secrets: (n: string) => env[n as 'HR_DB_URL'] });
  assert.equal(records.length, 0);
});

test('sql/postgres: the query runs read-only (a write is refused by the server)', { skip }, async () => {
  const env = { HR_DB_URL: cluster!.url };
  const err = await collect(source('DELETE FROM workers RETURNING *'), { secrets: (n) => env[n as 'HR_DB_URL'] }).catch((e) => e);
  assert.ok(err instanceof SourceError, String(err));
  assert.match(err.message, /^sql \(postgres\) source: cannot execute DELETE in a read-only transaction \(25006\)/);
  cluster!.psql("DO $$ BEGIN IF (SELECT count(*) FROM workers) <> 2500 THEN RAISE 'rows were deleted'; END IF; END $$;");
});

test('sql/postgres: stopping early (a --limit) closes the cursor and the connection', { skip }, async () => {
  const env = { HR_DB_URL: cluster!.url };
  const stream = openSource(source('SELECT * FROM workers ORDER BY employee_id'), { secrets: (n: string) => env[n as 'HR_DB_URL'] });
  let n = 0;
  for await (const _r of stream) if (++n === 5) break;
  assert.equal(n, 5);
  // Our connection is gone once the generator returned: only the psql probe itself is connected.
  cluster!.psql("DO $$ BEGIN IF (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = 'postgres') > 1 THEN RAISE 'a connection was left open'; END IF; END $$;");
});

test('sql/postgres: a bad connection names the connector, never the password', { skip }, async () => {
  const url = cluster!.url.replace('hr@', 'hr:Sup3rSecret@').replace('/postgres', '/no_such_db');
  const err = await collect(source('SELECT 1'), { secrets: () => url }).catch((e) => e);
  assert.ok(err instanceof SourceError);
  assert.match(err.message, /^sql \(postgres\) source: .*no_such_db/);
  assert.doesNotMatch(err.message, /Sup3rSecret/);
});

test('sql: the connection string must be set', async () => {
  await assert.rejects(collect(source('SELECT 1')), /sql source: the connection string is missing: set the environment variable HR_DB_URL/);
});
