import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileEvent, FileWatcher } from '../../../src/lsp/fileWatcher';
import { tempDir } from '../../tempDirs';

const dir = tempDir('scimmap-watch-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function until(what: string, cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the server\'s own watcher reports changes, replacements and deletions of watched files only, until closed', async () => {
  const sample = path.join(dir, 'people.csv');
  const other = path.join(dir, 'notes.txt');
  fs.writeFileSync(sample, 'id\n1\n');
  const events: [string, FileEvent][] = [];
  const w = new FileWatcher((f, e) => events.push([f, e]), () => undefined, 20);
  w.set([sample]);
  assert.equal(w.watchedFolders, 1);

  fs.writeFileSync(other, 'x');
  fs.appendFileSync(sample, '2\n');
  await until('a change', () => events.length > 0);
  assert.deepEqual(events.splice(0), [[sample, 'changed']]);

  // Replaced by rename, as many exporters and editors save.
  fs.writeFileSync(`${sample}.tmp`, 'id\n3\n');
  fs.renameSync(`${sample}.tmp`, sample);
  await until('a replacement', () => events.some(([f]) => f === sample));
  assert.deepEqual(events.splice(0).filter(([f]) => f === sample).pop(), [sample, 'changed']);

  fs.rmSync(sample);
  await until('a deletion', () => events.length > 0);
  assert.deepEqual(events.splice(0).pop(), [sample, 'deleted']);
  fs.writeFileSync(sample, 'id\n');
  await until('a creation', () => events.length > 0);
  assert.deepEqual(events.splice(0).pop(), [sample, 'created']);

  w.set([]);
  assert.equal(w.watchedFolders, 0, 'folders no longer needed are released');
  w.set([sample]);
  w.close();
  assert.equal(w.watchedFolders, 0);
  fs.appendFileSync(sample, '4\n');
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(events, [], 'nothing after close');
});
