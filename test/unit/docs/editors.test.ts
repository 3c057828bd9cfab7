/** docs/editors.md shows the editor configurations that were run (Neovim by test/lsp/neovim.test.ts), verbatim. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');

test('docs/editors.md contains docs/editors/neovim-0.7.lua as it is', () => {
  const guide = readFileSync(join(ROOT, 'docs/editors.md'), 'utf8');
  const config = readFileSync(join(ROOT, 'docs/editors/neovim-0.7.lua'), 'utf8');
  assert.ok(guide.includes('```lua\n' + config + '```'), 'update the guide after changing the config');
});

test('docs/editors.md contains docs/editors/emacs-eglot.el as it is', () => {
  const guide = readFileSync(join(ROOT, 'docs/editors.md'), 'utf8');
  const config = readFileSync(join(ROOT, 'docs/editors/emacs-eglot.el'), 'utf8');
  assert.ok(guide.includes('```elisp\n' + config + '```'), 'update the guide after changing the config');
});

test('the README links the editor guide', () => {
  assert.match(readFileSync(join(ROOT, 'README.md'), 'utf8'), /\(docs\/editors\.md\)/);
});
