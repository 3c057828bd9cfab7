// Runs the extensionTestsPath suite (test/vscode/suite) in a downloaded VS Code through @vscode/test-electron, for
// machines that can reach Microsoft's update host. CI here runs the same suite through code-server instead
// (test/e2e/extensionHost.test.ts). Usage: npm run pretest && node out/test/vscode/runTest.js
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repo = resolve(__dirname, '../../..');
  // A copy of the fixture workspace: the suite edits and writes files.
  const run = mkdtempSync(join(tmpdir(), 'scimmap-vscode-test-'));
  const workspace = join(run, 'e2e-workspace');
  cpSync(join(repo, 'test/fixtures/e2e-workspace'), workspace, { recursive: true });
  const userData = join(run, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  cpSync(join(repo, 'test/e2e/user-settings.json'), join(userData, 'User/settings.json'));
  const results = join(run, 'results.json');
  writeFileSync(results, '[]');
  try {
    await runTests({
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(repo, 'out/test/vscode/suite/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
      extensionTestsEnv: { SCIMMAP_VSCODE_TEST_RESULTS: results },
    });
  } finally {
    console.log(readFileSync(results, 'utf8'));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
