/**
 * A throwaway PostgreSQL cluster for tests: Debian's binaries, initdb into a temp dir, a free port on 127.0.0.1,
 * the unix socket in the temp dir, stopped and removed afterwards. PostgreSQL refuses to run as root, so as root
 * the cluster runs as the `postgres` user (created by Debian's package).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempDir } from '../../tempDirs';

export function postgresBin(): string | undefined {
  const roots = ['/usr/lib/postgresql'];
  for (const r of roots) {
    let versions: string[] = [];
    try {
      versions = fs.readdirSync(r).sort((a, b) => Number(b) - Number(a));
    } catch {
      continue;
    }
    for (const v of versions) if (fs.existsSync(path.join(r, v, 'bin', 'initdb'))) return path.join(r, v, 'bin');
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  url: string;
  psql(sql: string): void;
  stop(): void;
}

export async function startCluster(bin: string): Promise<Cluster> {
  const asRoot = process.getuid?.() === 0;
  const dir = tempDir('scimmap-pg-');
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;
    const r = spawnSync(full[0], full[1] as string[], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    execFileSync('chown', ['postgres:', dir]);
  }
  const port = await freePort();
  try {
    run(path.join(bin, 'initdb'), ['-D', data, '-U', 'hr', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C']);
    run(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', '-l', path.join(dir, 'log'), '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off`, 'start']);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const psqlBin = path.join(bin, 'psql');
  return {
    url: `postgresql://hr@127.0.0.1:${port}/postgres`,
    psql(sql: string) {
      const r = spawnSync(fs.existsSync(psqlBin) ? psqlBin : 'psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'hr', '-d', 'postgres', '-c', sql], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
    },
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Seeds `workers` with n rows: ids, names, a DATE hire date, a timestamptz, an inactive every 10th. */
export function seedWorkers(c: Cluster, n: number): void {
  c.psql(`CREATE TABLE workers (employee_id text PRIMARY KEY, first_name text, last_name text, email text, hire_date date, updated_at timestamptz, active boolean, salary_band bigint);
INSERT INTO workers SELECT 'E' || lpad(i::text, 6, '0'), 'First' || i, 'Last' || i, 'w' || i || '@contoso.com', DATE '2020-01-01' + (i % 1000), TIMESTAMPTZ '2024-05-01 08:00:00+00' + i * INTERVAL '1 minute', i % 10 <> 0, 9007199254740993 FROM generate_series(1, ${n}) AS s(i);`);
}
