/** A mapping-file error raised while the records are read (source.duplicates: last over a pipe) is a usage error for
 * a target: scim upload, as for Entra: exit 2 with the reason, nothing sent, no crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../src/cli/main';
import { tempDir } from '../../tempDirs';

test('scim upload: source.duplicates: last over a FIFO is refused as a usage error (exit 2), nothing sent', { skip: process.platform === 'win32' }, async () => {
  const dir = tempDir('scimmap-scim-pipe-');
  writeFileSync(join(dir, 'p.csv'), 'id,email\n1,a@example.org\n');
  writeFileSync(join(dir, 'm.scimmap.yaml'), 'scimmap: 1\ntarget: scim\nsource:\n  sample: p.csv\n  duplicates: last\nmappings:\n  externalId: id\n  userName: email\n  active: true\n');
  execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
  let err = '';
  const code = await runCli(['upload', 'm.scimmap.yaml', '--input', 'pipe.csv', '--endpoint', 'http://127.0.0.1:9/scim/v2'], {
    stdout: new PassThrough(),
    stderr: new PassThrough().on('data', (d) => (err += d)),
    env: { SCIMMAP_TOKEN: 'scim-pipe-token-1', SCIMMAP_SCIM_HOSTS: '', XDG_STATE_HOME: join(dir, 'state'), XDG_CONFIG_HOME: join(dir, 'config') },
    cwd: dir,
  });
  assert.equal(code, 2, err);
  assert.match(err, /not a regular file/);
});
