/**
 * The sql connector: one query, parameters bound by the driver (never spliced into the text), rows streamed in
 * batches through a cursor so memory stays bounded by one batch, inside a transaction that cannot write.
 * PostgreSQL (pg + pg-cursor) and mysql2 are tested against real servers (PostgreSQL, MariaDB); mssql follows the same
 * interface and is tested against a fake only. mssql and mysql2 are loaded only when used (npm install mssql / mysql2).
 */
import { createRequire } from 'node:module';
import type { SqlSource } from '../engine/mapping/sourceFromModel';
import { SourceError } from './errors';
import { requireSecret } from './secrets';
import type { OpenSourceOptions, SourceStream } from './types';

type Row = Record<string, unknown>;
type Params = SqlSource['params'];

/** A driver: opens a read-only session and yields the rows in batches. */
export interface SqlDriverAdapter {
  rows(connection: string, query: string, params: Params, o: { batchSize: number; timeoutMs: number; signal?: AbortSignal }): AsyncIterable<Row[]>;
}

/** JSON-friendly values: dates as ISO strings, bytes as base64, bigints as text (no silent precision loss). */
export function normalizeRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (v instanceof Date) out[k] = Number.isNaN(v.getTime()) ? null : v.toISOString().replace('.000Z', 'Z');
    else if (typeof v === 'bigint') out[k] = v.toString();
    else if (Buffer.isBuffer(v)) out[k] = v.toString('base64');
    else out[k] = v;
  }
  return out;
}

export async function* readSql(config: SqlSource, opts: OpenSourceOptions): SourceStream {
  const connection = await requireSecret(opts.secrets, config.connectionEnv, 'sql', 'connection string');
  const driver = (opts.sqlDriver as SqlDriverAdapter | undefined) ?? loadDriver(config.driver);
  let index = 0;
  let batches = 0;
  try {
    for await (const batch of driver.rows(connection, config.query, config.params, { batchSize: config.batchSize, timeoutMs: config.timeoutSeconds * 1000, signal: opts.signal })) {
      batches++;
      for (const row of batch) yield { index: index++, value: normalizeRow(row) };
      opts.onPage?.({ pages: batches, records: index });
      if (opts.signal?.aborted) return;
    }
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(`sql (${config.driver})`, describeDbError(e, connection));
  }
}

/** The driver's message without the connection string (which holds the password) or any part of it. */
function describeDbError(e: unknown, connection: string): string {
  let msg = String((e as Error)?.message ?? e).split('\n')[0].slice(0, 300);
  if (connection && msg.includes(connection)) msg = msg.split(connection).join('(connection string)');
  try {
    const pw = decodeURIComponent(new URL(connection).password);
    if (pw && msg.includes(pw)) msg = msg.split(pw).join('***');
  } catch {
    /* not a URL: nothing more to hide */
  }
  const code = (e as { code?: unknown })?.code;
  return `${msg}${typeof code === 'string' ? ` (${code})` : ''}`;
}

function loadDriver(name: SqlSource['driver']): SqlDriverAdapter {
  if (name === 'postgres') return postgresDriver();
  const pkg = name === 'mssql' ? 'mssql' : 'mysql2';
  let mod: unknown;
  try {
    // Not bundled: these drivers are large and optional; they are loaded from node_modules when a mapping uses them.
    mod = createRequire(__filename)(pkg);
  } catch {
    throw new SourceError(`sql (${name})`, `the ${pkg} driver is not installed: run npm install ${pkg} next to SCIM Mapper`);
  }
  return name === 'mssql' ? mssqlDriver(mod as MssqlModule) : mysqlDriver(mod as MysqlModule);
}

// ---------------------------------------------------------------- PostgreSQL

export function postgresDriver(): SqlDriverAdapter {
  return {
    async *rows(connection, query, params, o) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pg = require('pg') as typeof import('pg');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const Cursor = require('pg-cursor') as typeof import('pg-cursor');
      // DATE stays the calendar date it is ('2020-03-16'); node-postgres would make it local midnight.
      const types = { getTypeParser: (oid: number, format?: string) => (oid === 1082 ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) };
      const client = new pg.Client({ connectionString: connection, statement_timeout: o.timeoutMs, connectionTimeoutMillis: 30_000, types } as import('pg').ClientConfig);
      await client.connect();
      const abort = () => void client.end().catch(() => undefined);
      o.signal?.addEventListener('abort', abort, { once: true });
      let cursor: InstanceType<typeof Cursor> | undefined;
      try {
        await client.query('BEGIN READ ONLY');
        cursor = client.query(new Cursor(query, params as unknown[]));
        for (;;) {
          const rows = await cursor.read(o.batchSize);
          if (rows.length === 0) break;
          yield rows as Row[];
        }
        await cursor.close();
        cursor = undefined;
        await client.query('ROLLBACK'); // nothing to keep: the transaction only read
      } finally {
        o.signal?.removeEventListener('abort', abort);
        if (cursor) await cursor.close().catch(() => undefined);
        await client.end().catch(() => undefined);
      }
    },
  };
}

// ---------------------------------------------------------------- MySQL / MariaDB (mysql2)

/** The part of mysql2's callback API used here. */
export interface MysqlModule {
  createConnection(o: { uri: string; dateStrings: string[]; timezone: string; supportBigNumbers: boolean; bigNumberStrings: boolean }): {
    query(sql: string, values?: unknown[]): { stream(o?: { highWaterMark?: number }): AsyncIterable<Row> };
    promise(): { query(sql: string): Promise<unknown> };
    end(cb?: (err?: unknown) => void): void;
    destroy(): void;
  };
}

export function mysqlDriver(mysql: MysqlModule): SqlDriverAdapter {
  return {
    async *rows(connection, query, params, o) {
      // DATE stays the calendar date ('2020-03-16', as with postgres); DATETIME/TIMESTAMP read as UTC; BIGINT/DECIMAL as text.
      const conn = mysql.createConnection({ uri: connection, dateStrings: ['DATE'], timezone: 'Z', supportBigNumbers: true, bigNumberStrings: true });
      const abort = () => conn.destroy();
      o.signal?.addEventListener('abort', abort, { once: true });
      try {
        await conn.promise().query(`SET SESSION MAX_EXECUTION_TIME=${Math.floor(o.timeoutMs)}`).catch(() => undefined); // MySQL only; MariaDB ignores it
        await conn.promise().query('START TRANSACTION READ ONLY');
        let batch: Row[] = [];
        // The row stream is paused while the consumer is busy (async iteration applies back-pressure).
        for await (const row of conn.query(query, params as unknown[]).stream({ highWaterMark: o.batchSize })) {
          batch.push(row);
          if (batch.length >= o.batchSize) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length) yield batch;
        await conn.promise().query('ROLLBACK');
      } finally {
        o.signal?.removeEventListener('abort', abort);
        conn.destroy();
      }
    },
  };
}

// ---------------------------------------------------------------- SQL Server (mssql / tedious)

/** The part of the mssql package used here. */
export interface MssqlModule {
  ConnectionPool: new (connection: string) => { connect(): Promise<unknown>; close(): Promise<void> };
  Transaction: new (pool: unknown) => { begin(): Promise<unknown>; rollback(): Promise<void> };
  Request: new (tx: unknown) => MssqlRequest;
}
export interface MssqlRequest {
  stream: boolean;
  input(name: string, value: unknown): void;
  query(sql: string): void;
  pause(): void;
  resume(): void;
  cancel(): void;
  on(event: 'row', cb: (row: Row) => void): void;
  on(event: 'error', cb: (e: unknown) => void): void;
  on(event: 'done', cb: () => void): void;
}

export function mssqlDriver(mssql: MssqlModule): SqlDriverAdapter {
  return {
    async *rows(connection, query, params, o) {
      const pool = new mssql.ConnectionPool(connection);
      await pool.connect();
      const tx = new mssql.Transaction(pool);
      let request: MssqlRequest | undefined;
      const abort = () => request?.cancel();
      o.signal?.addEventListener('abort', abort, { once: true });
      try {
        // SQL Server has no read-only transaction: the transaction is always rolled back, and the docs ask for a
        // login that can only read (db_datareader) and ApplicationIntent=ReadOnly.
        await tx.begin();
        request = new mssql.Request(tx);
        request.stream = true;
        params.forEach((v, i) => request!.input(`p${i + 1}`, v));
        const queue: Row[] = [];
        let done = false;
        let failure: unknown;
        let wake: (() => void) | undefined;
        const notify = () => {
          wake?.();
          wake = undefined;
        };
        request.on('row', (row) => {
          queue.push(row);
          if (queue.length >= o.batchSize) request!.pause();
          notify();
        });
        request.on('error', (e) => {
          failure = e;
          notify();
        });
        request.on('done', () => {
          done = true;
          notify();
        });
        request.query(query);
        for (;;) {
          if (failure) throw failure;
          if (queue.length >= o.batchSize || (done && queue.length)) {
            yield queue.splice(0, o.batchSize);
            request.resume();
            continue;
          }
          if (done) break;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        o.signal?.removeEventListener('abort', abort);
        await tx.rollback().catch(() => undefined);
        await pool.close().catch(() => undefined);
      }
    },
  };
}
