/**
 * No SQL Server runs here: the mssql adapter is checked against a fake of the API it uses — the statements sent
 * (transaction, rollback), parameters passed apart from the text, batching and back-pressure (docs/sources.md says
 * so). The mysql2 adapter is also checked here for the exact statements; mysql.test.ts runs it on a real MariaDB.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { mssqlDriver, mysqlDriver, type MssqlModule, type MysqlModule } from '../../../src/sources/sql';
import { collect, configOf } from './helpers';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, hired: new Date(Date.UTC(2020, 0, 1 + i)), photo: Buffer.from('x') }));

test('mysql2 adapter: START TRANSACTION READ ONLY, parameters separate, rows batched, rollback and close', async () => {
  const log: string[] = [];
  const fake: MysqlModule = {
    createConnection(o) {
      log.push(`connect ${o.uri}`);
      assert.deepEqual(o.dateStrings, ['DATE']);
      return {
        query(sql, values) {
          log.push(`query ${sql} ${JSON.stringify(values)}`);
          return { stream: () => Readable.from(rows(5)) };
        },
        promise: () => ({ query: async (sql: string) => void log.push(sql) }),
        end: () => undefined,
        destroy: () => void log.push('destroy'),
      };
    },
  };
  const config = configOf('type: sql\ndriver: mysql\nconnectionEnv: DB\nquery: SELECT * FROM w WHERE dept = ?\nparams: [HR]\nbatchSize: 2');
  const { records, pages } = await collect(config, { secrets: () => 'mysql://ro@db/hr', sqlDriver: mysqlDriver(fake) });
  assert.equal(records.length, 5);
  assert.equal(pages, 3);
  assert.deepEqual(records[0], { id: 1, hired: '2020-01-01T00:00:00Z', photo: 'eA==' });
  assert.deepEqual(log.filter((l) => !l.startsWith('SET SESSION')), ['connect mysql://ro@db/hr', 'START TRANSACTION READ ONLY', 'query SELECT * FROM w WHERE dept = ? ["HR"]', 'ROLLBACK', 'destroy']);
});

test('mssql adapter: streamed request with @p1 inputs, paused at a batch, always rolled back', async () => {
  const log: string[] = [];
  class Req extends EventEmitter {
    stream = false;
    paused = 0;
    input(name: string, v: unknown) {
      log.push(`input ${name}=${JSON.stringify(v)}`);
    }
    query(sql: string) {
      log.push(`query ${sql} stream=${this.stream}`);
      setImmediate(() => {
        for (const r of rows(5)) this.emit('row', r);
        this.emit('done');
      });
    }
    pause() {
      this.paused++;
    }
    resume() {}
    cancel() {}
  }
  const fake = {
    ConnectionPool: class {
      connect = async () => void log.push('connect');
      close = async () => void log.push('close');
    },
    Transaction: class {
      begin = async () => void log.push('begin');
      rollback = async () => void log.push('rollback');
    },
    Request: Req,
  } as unknown as MssqlModule;
  const config = configOf('type: sql\ndriver: mssql\nconnectionEnv: DB\nquery: SELECT * FROM w WHERE dept = @p1\nparams: [HR]\nbatchSize: 2');
  const { records } = await collect(config, { secrets: () => 'Server=db;Database=hr;ApplicationIntent=ReadOnly', sqlDriver: mssqlDriver(fake) });
  assert.deepEqual(records.map((r) => r.id), [1, 2, 3, 4, 5]);
  assert.deepEqual(log, ['connect', 'begin', 'input p1="HR"', 'query SELECT * FROM w WHERE dept = @p1 stream=true', 'rollback', 'close']);
});

test('sql: a driver error is one line naming the driver, without the password', async () => {
  const fake: MysqlModule = {
    createConnection: () => ({
      query: () => ({ stream: () => Readable.from([]) }),
      promise: () => ({ query: async () => Promise.reject(new Error("Access denied for user 'ro' using password s3cr%t! at mysql://ro:s3cr%t!@db/hr")) }),
      end: () => undefined,
      destroy: () => undefined,
    }),
  };
  const config = configOf('type: sql\ndriver: mysql\nconnectionEnv: DB\nquery: SELECT 1');
  const err = await collect(config, { secrets: () => 'mysql://ro:s3cr%25t!@db/hr', sqlDriver: mysqlDriver(fake) }).catch((e) => e);
  assert.match(err.message, /^sql \(mysql\) source: Access denied/);
  assert.doesNotMatch(err.message, /s3cr/);
});
