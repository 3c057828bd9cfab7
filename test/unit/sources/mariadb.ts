/**
 * A throwaway MariaDB server for the mysql2 adapter tests: Debian's mariadb-server binaries, a data dir in a temp
 * dir, a free port on 127.0.0.1, the socket in the temp dir; run as the `mysql` user when the tests run as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { tempDir } from '../../tempDirs';

const SERVER = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'];
const INSTALL = ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db'];
const CLIENT = ['/usr/bin/mariadb', '/usr/bin/mysql'];

export function mariadbBins(): { server: string; install: string; client: string } | undefined {
  const find = (xs: string[]) => xs.find((x) => fs.existsSync(x));
  const server = find(SERVER);
  const install = find(INSTALL);
  const client = find(CLIENT);
  return server && install && client ? { server, install, client } : undefined;
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

export interface MariaDb {
  url: string;
  sql(statements: string): void;
  stop(): Promise<void>;
}

export async function startMariaDb(bins: NonNullable<ReturnType<typeof mariadbBins>>): Promise<MariaDb> {
  const asRoot = process.getuid?.() === 0;
  const dir = tempDir('scimmap-maria-');
  const data = path.join(dir, 'data');
  const sock = path.join(dir, 'sock');
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    spawnSync('chown', ['mysql:', dir]);
  }
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'mysql', '--', cmd, ...args]] : [cmd, args]);
  const [ic, ia] = wrap(bins.install, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db']);
  const init = spawnSync(ic, ia, { encoding: 'utf8', timeout: 120_000 });
  if (init.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${init.stderr || init.stdout}`);
  }
  const port = await freePort();
  const [sc, sa] = wrap(bins.server, ['--no-defaults', `--datadir=${data}`, `--socket=${sock}`, `--port=${port}`, '--bind-address=127.0.0.1', `--pid-file=${path.join(dir, 'pid')}`, '--skip-grant-tables=0', '--innodb-buffer-pool-size=16M', '--skip-log-bin']);
  const child: ChildProcess = spawn(sc, sa, { stdio: 'ignore' });
  const client = (sqlText: string) => spawnSync(bins.client, ['--no-defaults', '-uroot', `--socket=${sock}`, '-e', sqlText], { encoding: 'utf8', timeout: 120_000 });
  for (let i = 0; ; i++) {
    if (fs.existsSync(sock) && client('SELECT 1').status === 0) break;
    if (i > 300 || child.exitCode !== null) {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error('MariaDB did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const setup = client("CREATE DATABASE hr; CREATE USER 'hr'@'127.0.0.1' IDENTIFIED BY 'hr-pw'; GRANT ALL ON hr.* TO 'hr'@'127.0.0.1';");
  if (setup.status !== 0) throw new Error(`MariaDB setup failed: ${setup.stderr}`);
  return {
    url: `mysql://hr:hr-pw@127.0.0.1:${port}/hr`,
    sql(statements: string) {
      const r = client(`USE hr; ${statements}`);
      if (r.status !== 0) throw new Error(`mariadb failed: ${r.stderr}`);
    },
    async stop() {
      const exited = new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
