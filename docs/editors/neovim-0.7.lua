-- SCIM Mapper for Neovim 0.7 to 0.9 (vim.lsp.start_client). Put this in your init.lua, or in a file that
-- your init.lua requires. Needs `scimmap-language-server` on PATH (see docs/editors.md).

-- *.scimmap.yaml are mappings (not plain yaml); *.jsonata are JSONata expressions.
vim.cmd([[
  augroup scimmap_filetype
    autocmd!
    autocmd BufRead,BufNewFile *.scimmap.yaml,*.scimmap.yml set filetype=scimmap
    autocmd BufRead,BufNewFile *.jsonata set filetype=jsonata
  augroup END
]])

local clients = {} -- one server per project folder

local function on_attach(_, bufnr)
  vim.bo[bufnr].omnifunc = 'v:lua.vim.lsp.omnifunc' -- <C-x><C-o> completes
  local map = function(lhs, rhs) vim.keymap.set('n', lhs, rhs, { buffer = bufnr }) end
  map('K', vim.lsp.buf.hover)
  map('gd', vim.lsp.buf.definition)
  map('<leader>ca', vim.lsp.buf.code_action)
  map('<leader>rn', vim.lsp.buf.rename)
  map('<leader>e', vim.diagnostic.open_float)
end

local function start_scimmap(args)
  local file = vim.api.nvim_buf_get_name(args.buf)
  if file == '' then return end
  local root = vim.fn.fnamemodify(file, ':p:h')
  local id = clients[root]
  if not id or vim.lsp.client_is_stopped(id) then
    id = vim.lsp.start_client({
      name = 'scimmap',
      cmd = { 'scimmap-language-server', '--stdio' },
      root_dir = root,
      on_attach = on_attach,
    })
    clients[root] = id
  end
  if id then vim.lsp.buf_attach_client(args.buf, id) end
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'scimmap', 'jsonata' },
  callback = function(args)
    if args.match == 'scimmap' then vim.bo[args.buf].syntax = 'yaml' end
    start_scimmap(args)
  end,
})
