// Restricted Mode on the server side: which files an untrusted workspace lets the server read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkspaceTrust } from '../../../src/service/trust';
import type { FileHost } from '../../../src/engine/analysis/host';
import { tempDir } from '../../tempDirs';

test('untrusted: reads only inside the workspace folders, symlinks resolved; trusted or unspecified: everything', () => {
  const dir = tempDir('scimmap-trust-');
  try {
    const ws = join(dir, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'in.json'), '{}');
    writeFileSync(join(dir, 'out.json'), '{}');
    symlinkSync(join(dir, 'out.json'), join(ws, 'link.json'));
    const reads: string[] = [];
    const base: FileHost = { readText: (p) => (reads.push(p), '{}'), exists: () => true };
    const t = new WorkspaceTrust();
    t.configure({ workspaceTrusted: false }, [ws]);
    const host = t.host(base);
    assert.equal(host.readText(join(ws, 'in.json')), '{}');
    assert.equal(host.readText(join(dir, 'out.json')), undefined);
    assert.equal(host.readText(join(ws, 'link.json')), undefined, 'a link out of the workspace is outside');
    assert.equal(host.readText(join(ws, '..', 'out.json')), undefined);
    assert.equal(host.readText('/dev/zero'), undefined);
    assert.equal(host.readText('//host/share/x'), undefined);
    assert.equal(host.exists(join(dir, 'out.json')), true, 'not looked at: no "does not exist" error in Restricted Mode');
    assert.deepEqual(reads, [join(ws, 'in.json')]);
    t.trusted = true;
    assert.equal(host.readText(join(dir, 'out.json')), '{}');
    const u = new WorkspaceTrust();
    u.configure(undefined, []);
    assert.equal(u.trusted, true, 'a client that says nothing gets full features');
    u.configure({ workspaceTrusted: 'no' }, []);
    assert.equal(u.trusted, true, 'only an explicit false restricts');
    u.configure({ workspaceTrusted: false }, []);
    assert.equal(u.mayRead(join(ws, 'in.json')), false, 'no folder: nothing is inside');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
