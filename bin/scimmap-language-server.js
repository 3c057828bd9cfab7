#!/usr/bin/env node
'use strict';
// The SCIM Mapper language server for any LSP client (Neovim, Helix, Emacs …): speaks LSP over stdio.
if (!process.argv.some((a) => a === '--stdio' || a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.argv.push('--stdio');
}
require('../dist/server.js');
