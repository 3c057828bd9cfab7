/** Hostile inputs shared by the CLI and language server tests: written to a temp dir, big ones generated. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../../../..');
export const CLI = path.join(root, 'bin/scimmap.js');

export function tempDir(prefix = 'scimmap-hostile-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const PEOPLE_CSV = 'id,first,status\n1,Ana,Active\n2,Bo,Active\n';

/** A correct mapping over `sample` with extra lines under `mappings:`. */
export function mapping(sample: string, extra = '', lets = ''): string {
  return `scimmap: 1\nsource:\n  sample: ${sample}\n  key: id\ntarget: entra\n${lets ? `let:\n${lets}` : ''}mappings:\n  externalId: id\n  active: status = "Active"\n  userName: id & "@contoso.com"\n${extra}`;
}

/** Billion laughs: nine levels of nine aliases each (9^9 strings if anything expanded them). */
export function aliasBomb(): string {
  const lines = ['scimmap: 1', 'target: entra', 'l0: &l0 "lol"'];
  for (let i = 1; i <= 9; i++) lines.push(`l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(', ')}]`);
  lines.push('let:', '  bomb: *l9', 'mappings:', '  externalId: *l9', '  title: id');
  return lines.join('\n') + '\n';
}

/** A CSV whose second record has one field of `mb` megabytes (written in chunks: never held in memory). */
export function writeHugeFieldCsv(file: string, mb: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'id,first,status\n1,Ana,Active\n2,"');
    const chunk = 'x'.repeat(1 << 20);
    for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
    fs.writeSync(fd, '",Active\n3,Cy,Active\n');
  } finally {
    fs.closeSync(fd);
  }
}

/** `rows` data rows, written in blocks. */
export function writeManyRowsCsv(file: string, rows: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'id,first,status\n');
    const block: string[] = [];
    for (let i = 1; i <= rows; i++) {
      block.push(`${i},Name${i},${i % 7 ? 'Active' : 'Inactive'}`);
      if (block.length === 50_000 || i === rows) {
        fs.writeSync(fd, block.join('\n') + '\n');
        block.length = 0;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Bytes that are not UTF-8: Windows-1252 "é" (0xE9) in a header and in a value. */
export function latin1Csv(): Buffer {
  return Buffer.concat([Buffer.from('id,pr'), Buffer.from([0xe9]), Buffer.from('nom,status\n1,Ren'), Buffer.from([0xe9]), Buffer.from(',Active\n')]);
}

/** Looks like a zip/PNG: NUL bytes early on. */
export function binaryBytes(): Buffer {
  const b = Buffer.alloc(4096);
  for (let i = 0; i < b.length; i++) b[i] = (i * 37 + 11) & 0xff;
  b.write('\x89PNG\r\n\x1a\n', 0, 'latin1');
  return b;
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real CLI as a child process (the watchdog only exists there). */
export function runCli(args: string[], opts: { cwd?: string; env?: Record<string, string>; nodeArgs?: string[]; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { cwd: opts.cwd ?? root, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}
