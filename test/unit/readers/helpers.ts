import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { openRecords, type OpenRecordsOptions, type SourceRecord, type ReaderWarning } from '../../../src/engine/readers';
import { tempDir } from '../../tempDirs';

const dir = tempDir('scimmap-readers-');
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a temp file and returns its path. */
export function tmpFile(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function readAll(
  path: string,
  opts: OpenRecordsOptions = {},
): Promise<{ records: SourceRecord[]; warnings: ReaderWarning[]; header?: readonly string[] }> {
  const stream = openRecords(path, opts);
  const records: SourceRecord[] = [];
  for await (const r of stream) records.push(r);
  return { records, warnings: stream.warnings, header: stream.header };
}

export async function values(path: string, opts: OpenRecordsOptions = {}): Promise<Record<string, unknown>[]> {
  return (await readAll(path, opts)).records.map((r) => r.value);
}
