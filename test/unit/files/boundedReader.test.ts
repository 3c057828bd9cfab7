/** The bounded file reader: path forms refused before any fs call, regular files only, FIFOs never block, caps. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FileRefusedError, inspectFile, openChecked, pathFormRefusal, readFileBytes, readTextFile, resolveNamedPath, streamFileBytes,
} from '../../../src/engine/files/boundedReader';
import { tempDir } from '../../tempDirs';

const dir = tempDir('scimmap-bounded-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

const refusedWith = (code: string, re?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof FileRefusedError, String(e));
  assert.equal(e.code, code);
  if (re) assert.match(e.message, re);
  return true;
};

const HOSTILE_FORMS = [
  '\\\\host\\share\\x.csv', '//host/share/x.csv', '\\\\?\\C:\\x.csv', '\\\\.\\PhysicalDrive0', '\\/host/share', '/\\host\\share',
  'file:///etc/passwd', 'FILE://host/share/x', 'file:x.csv', 'NUL', 'nul.csv', 'C:\\data\\CON.json', 'dir/com1.csv', 'lpt9', 'aux .txt', 'a\u0000b',
];

test('UNC, device, file: and Windows device paths are refused from their text alone, on every platform', () => {
  for (const p of HOSTILE_FORMS) {
    assert.ok(pathFormRefusal(p), p);
    // resolveNamedPath keeps them as written (path.resolve would turn //host into /host on POSIX) ...
    assert.equal(resolveNamedPath('/base', p), p);
    // ... and every entry point refuses them with path-refused, whatever the file system holds.
    assert.throws(() => inspectFile(p, 'sample'), refusedWith('path-refused'), p);
    assert.throws(() => readFileBytes(p, 'schema'), refusedWith('path-refused'), p);
  }
  for (const ok of ['people.csv', 'data/console.csv', 'c:\\data\\x.csv', '/srv/hr/nul-report.csv', 'com10.csv', './a//b.csv', 'filex.csv']) {
    assert.equal(pathFormRefusal(ok), undefined, ok);
  }
});

test('a stream of a refused path fails on first use, before any file is opened', async () => {
  await assert.rejects(async () => {
    for await (const _ of streamFileBytes('//host/share/x.csv', 'sample')) { /* never */ }
  }, refusedWith('path-refused', /UNC and device paths/));
});

test('regular files are read, a BOM dropped; a directory and a missing file are refused', () => {
  const f = path.join(dir, 'ok.json');
  fs.writeFileSync(f, '\ufeff{"a":1}');
  assert.equal(readTextFile(f, 'schema'), '{"a":1}');
  assert.equal(inspectFile(f, 'schema').size, 10);
  assert.throws(() => readFileBytes(dir, 'schema'), refusedWith('not-regular-file', /is a directory, not a regular file/));
  assert.throws(() => readFileBytes(path.join(dir, 'missing.json'), 'schema'), refusedWith('not-found', /no such file/));
});

test('the size cap is per kind and the message names the file and the cap', () => {
  const f = path.join(dir, 'big.json');
  fs.writeFileSync(f, 'x'.repeat(5000));
  assert.throws(() => readFileBytes(f, 'schema', { maxBytes: 4096 }), refusedWith('file-too-large', /big\.json: is larger than 4 KiB, the limit for a schema file/));
  assert.throws(() => inspectFile(f, 'mapping', { maxBytes: 100 }), refusedWith('file-too-large', /100 bytes, the limit for a mapping file/));
  assert.equal(readFileBytes(f, 'schema', { maxBytes: 5000 }).length, 5000);
});

test('a symlink is resolved first: to a regular file it is read, to a device or a UNC-looking target refused', { skip: !posix }, () => {
  const target = path.join(dir, 'real.json');
  fs.writeFileSync(target, '{}');
  fs.symlinkSync(target, path.join(dir, 'link.json'));
  assert.equal(inspectFile(path.join(dir, 'link.json'), 'schema').realPath, fs.realpathSync(target));
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.json'));
  assert.throws(() => readFileBytes(path.join(dir, 'zero.json'), 'schema'), refusedWith('not-regular-file', /zero\.json: is a character device/));
});

test('/dev/zero, /dev/stdin and /dev/null are refused, never read', { skip: !posix || !fs.existsSync('/dev/zero') }, () => {
  assert.throws(() => readFileBytes('/dev/zero', 'schema'), refusedWith('not-regular-file', /character device/));
  assert.throws(() => openChecked('/dev/null', 'sample'), refusedWith('not-regular-file'));
  // /dev/stdin is a link to the process's fd 0 (here a pipe or a terminal): never a regular file we may drain.
  assert.throws(() => readFileBytes('/dev/stdin', 'mapping'), (e: unknown) => e instanceof FileRefusedError);
});

test('a FIFO is refused without blocking, by inspect, whole-file reads and streams', { skip: !posix }, async () => {
  const fifo = path.join(dir, 'pipe.csv');
  execFileSync('mkfifo', [fifo]);
  // No writer ever opens the FIFO: a blocking open or read would hang this test (and the runner's timeout would fail it).
  assert.throws(() => inspectFile(fifo, 'sample'), refusedWith('not-regular-file', /pipe\.csv: is a named pipe \(FIFO\)/));
  assert.throws(() => readTextFile(fifo, 'schema'), refusedWith('not-regular-file'));
  await assert.rejects(async () => {
    for await (const _ of streamFileBytes(fifo, 'sample')) { /* never */ }
  }, refusedWith('not-regular-file'));
});

test('streams hand out the bytes of the checked file and honour a cap', async () => {
  const f = path.join(dir, 'rows.csv');
  fs.writeFileSync(f, 'a,b\n'.repeat(50_000));
  let n = 0;
  for await (const chunk of streamFileBytes(f, 'input', { chunkSize: 4096 })) n += chunk.length;
  assert.equal(n, 200_000);
  await assert.rejects(async () => {
    for await (const _ of streamFileBytes(f, 'input', { maxBytes: 10_000, chunkSize: 4096 })) { /* read */ }
  }, refusedWith('file-too-large'));
});
