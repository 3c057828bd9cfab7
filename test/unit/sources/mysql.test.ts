/** The mysql2 adapter against a real MariaDB (Debian's mariadb-server): skipped locally when it is not installed, a failure in CI. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceError } from '../../../src/sources';
import { collect, configOf } from './helpers';
import { mariadbBins, startMariaDb, type MariaDb } from './mariadb';
import { tempDir } from '../../tempDirs';

const bins = mariadbBins();
// CI installs MariaDB (.ci/run): missing binaries there are a failure, locally a skip with a reason.
if (!bins && process.env.CI) {
  test('MariaDB is installed for the mysql2 adapter tests', () => assert.fail('mariadbd / mariadb-install-db not found: .ci/run installs the mariadb-server package'));
}
const skip = bins ? false : 'MariaDB not installed (apt-get install mariadb-server); the mysql2 adapter is covered by fakes only';
let db: MariaDb | undefined;

before(async () => {
  if (!bins) return;
  db = await startMariaDb(bins);
  db.sql(`CREATE TABLE workers (employee_id VARCHAR(10) PRIMARY KEY, email VARCHAR(64), hire_date DATE, active BOOLEAN);
INSERT INTO workers SELECT CONCAT('E', LPAD(seq, 6, '0')), CONCAT('w', seq, '@contoso.com'), DATE_ADD('2020-01-01', INTERVAL seq DAY), seq % 10 <> 0 FROM seq_1_to_2500;`);
});
after(async () => db?.stop());

const source = (query: string, extra = '') => configOf(`type: sql\ndriver: mysql\nconnectionEnv: HR_DB_URL\nquery: "${query}"\nbatchSize: 1000\n${extra}`);

test('sql/mysql2 on MariaDB: streams the rows in batches, with ? parameters', { skip }, async () => {
  const { records, pages } = await collect(source('SELECT * FROM workers WHERE active = ? ORDER BY employee_id', 'params: [1]'), { secrets: () => db!.url });
  assert.equal(records.length, 2250);
  assert.equal(pages, 3);
  assert.equal(records[0].employee_id, 'E000001');
  assert.equal(records[0].email, 'w1@contoso.com');
});

test('sql/mysql2 on MariaDB: a write is refused in the read-only transaction', { skip }, async () => {
  const err = await collect(source('DELETE FROM workers'), { secrets: () => db!.url }).catch((e) => e);
  assert.ok(err instanceof SourceError, String(err));
  assert.match(err.message, /^sql \(mysql\) source: .*READ ONLY/i);
  assert.doesNotMatch(err.message, /hr-pw/);
});

test('sql/mysql2 on MariaDB: scimmap preview --from-source', { skip }, async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { PassThrough } = await import('node:stream');
  const { runCli } = await import('../../../src/cli/main.js');
  const dir = tempDir('scimmap-mysql-cli-');
  try {
    const m = join(dir, 'db.scimmap.yaml');
    writeFileSync(m, 'scimmap: 1\ntarget: entra\nsource:\n  sample: snap.jsonl\n  from:\n    type: sql\n    driver: mysql\n    connectionEnv: HR_DB_URL\n    query: SELECT * FROM workers WHERE employee_id < ? ORDER BY employee_id\n    params: [E000011]\nmappings:\n  externalId: employee_id\n  userName: email\n  title: $hrDate(hire_date, "yyyy-MM-dd")\n  active: active = 1\n');
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c) => (out += c));
    stderr.on('data', (c) => (err += c));
    const code = await runCli(['preview', m, '--from-source', '--format', 'ndjson'], { stdout, stderr, env: { HR_DB_URL: db!.url }, cwd: dir });
    assert.equal(code, 0, err);
    const users = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(users.length, 10);
    assert.equal(users[0].title, '2020-01-02T00:00:00Z');
    assert.equal(users[9].active, false);
    assert.match(err, /reading from the sql source at mysql:\/\/127\.0\.0\.1:\d+\/hr/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
