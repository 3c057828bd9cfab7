-- Drives Neovim's own LSP client against the SCIM Mapper language server, headless. Loaded after the editor
-- guide's init.lua (docs/editors/neovim-0.7.lua); records what the editor shows in a JSON file that
-- test/lsp/neovim.test.ts checks. Every wait is bounded; a watchdog quits on overrun.
local out_path = assert(vim.env.SCIMMAP_NVIM_OUT, 'SCIMMAP_NVIM_OUT')
local ws = assert(vim.env.SCIMMAP_NVIM_WS, 'SCIMMAP_NVIM_WS')
local samples = vim.env.SCIMMAP_NVIM_SAMPLES
local T = tonumber(vim.env.SCIMMAP_NVIM_TIMEOUT_MS or '20000')

vim.lsp.set_log_level('warn')
vim.o.completeopt = 'menuone,noselect'
local R = { log_path = vim.lsp.get_log_path(), nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor), steps = {}, errors = {} }
local done = false

local function finish()
  if done then return end
  done = true
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(R))
  f:close()
  vim.cmd('qa!')
end

-- Watchdog: never outlive the test.
vim.defer_fn(function()
  table.insert(R.errors, 'watchdog: the driver did not finish in time')
  finish()
end, tonumber(vim.env.SCIMMAP_NVIM_WATCHDOG_MS or '150000'))

local statuses = {}
vim.lsp.handlers['scimmap/status'] = function(_, result) table.insert(statuses, result) end

local function wait(what, cond, ms)
  local ok = vim.wait(ms or T, cond, 25)
  if not ok then table.insert(R.errors, 'timed out: ' .. what) end
  return ok
end

local function uri_of(path) return vim.uri_from_fname(path) end

local function client()
  return vim.lsp.get_active_clients()[1]
end

local function diags(bufnr)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    local line = vim.api.nvim_buf_get_lines(bufnr, d.lnum, d.lnum + 1, false)[1] or ''
    local text = d.lnum == d.end_lnum and line:sub(d.col + 1, d.end_col) or nil
    table.insert(out, { code = d.code, severity = d.severity, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col, text = text, message = d.message })
  end
  table.sort(out, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  return out
end

local function has_code(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do if d.code == code then return true end end
  return false
end

local function status_for(uri)
  for i = #statuses, 1, -1 do if statuses[i].uri == uri and statuses[i].records > 0 then return statuses[i] end end
end

local function find(bufnr, pattern, plain)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local s = l:find(pattern, 1, plain ~= false)
    if s then return i, s - 1 end -- 1-based row, 0-based byte column
  end
end

local function request(method, params)
  local res = vim.lsp.buf_request_sync(0, method, params, T)
  if not res then return nil end
  for _, r in pairs(res) do
    if r.err then table.insert(R.errors, method .. ': ' .. vim.inspect(r.err)) end
    return r.result
  end
end

local function at(bufnr, pattern, shift)
  local row, col = find(bufnr, pattern)
  if not row then table.insert(R.errors, 'not found: ' .. pattern) return nil end
  vim.api.nvim_win_set_cursor(0, { row, col + (shift or 0) })
  return vim.lsp.util.make_position_params()
end

local function line(bufnr, row) return vim.api.nvim_buf_get_lines(bufnr, row - 1, row, false)[1] end

-- Completion as a user does it: append text in insert mode, <C-x><C-o> (the guide's omnifunc), pick the
-- entry with this label from the popup, accept it.
local function complete(bufnr, row, typed, label)
  local keys = vim.api.nvim_replace_termcodes
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  local seen = {}
  local timer_done = false
  vim.defer_fn(function()
    local shown = vim.wait(T, function() return vim.fn.pumvisible() == 1 end, 20)
    local info = vim.fn.complete_info({ 'items' })
    local idx
    for i, it in ipairs(info.items or {}) do
      table.insert(seen, it.abbr)
      if it.abbr == label then idx = i end
    end
    if not shown then table.insert(R.errors, 'no completion popup for ' .. typed) end
    local seq = idx and (string.rep('<C-n>', idx) .. '<C-y>') or '<C-e>'
    vim.api.nvim_feedkeys(keys(seq .. '<Esc>', true, false, true), 'n', false)
    timer_done = true
  end, 30)
  vim.api.nvim_feedkeys(keys('A' .. typed .. '<C-x><C-o>', true, false, true), 'nx!', false)
  wait('completion of ' .. typed, function() return timer_done and vim.fn.mode() == 'n' end)
  return { line = line(bufnr, row), offered = #seen, found = vim.tbl_contains(seen, label) }
end

-- A quick fix as a user applies it: cursor on the problem, code action, choose by title.
local function quick_fix(bufnr, pattern, shift, title)
  local row = find(bufnr, pattern)
  if not row then table.insert(R.errors, 'not found: ' .. pattern) return {} end
  at(bufnr, pattern, shift)
  local before = line(bufnr, row)
  local offered = {}
  local original = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    local pick
    for i, it in ipairs(items) do
      local t = opts.format_item and opts.format_item(it) or tostring(it)
      table.insert(offered, t)
      if t:find(title, 1, true) and not pick then pick = i end
    end
    if pick then on_choice(items[pick], pick) else on_choice(nil, nil) end
  end
  vim.lsp.buf.code_action()
  wait('quick fix ' .. title, function() return line(bufnr, row) ~= before end)
  vim.ui.select = original
  return { before = before, after = line(bufnr, row), offered = offered }
end

local function run()
  local file = ws .. '/people.scimmap.yaml'
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local uri = uri_of(file)
  R.filetype = vim.bo.filetype
  wait('client attached', function() return client() ~= nil end)
  R.client = client() and { name = client().name, offset_encoding = client().offset_encoding } or nil
  wait('sample checks', function() return status_for(uri) ~= nil and has_code(buf, 'unknown-field') and has_code(buf, 'unknown-function') and has_code(buf, 'unknown-variable') end)
  R.diagnostics = diags(buf)

  R.hover = request('textDocument/hover', at(buf, '$uppercase', 1))
  R.hover_field = request('textDocument/hover', at(buf, 'userName: Email', 11))
  R.signature = request('textDocument/signatureHelp', at(buf, '$uppercase("ñ"', 11))
  R.definition = request('textDocument/definition', at(buf, 'externalId: EmployeeId', 13))
  R.symbols = request('textDocument/documentSymbol', { textDocument = { uri = uri } })
  R.folding = request('textDocument/foldingRange', { textDocument = { uri = uri } })
  R.links = request('textDocument/documentLink', { textDocument = { uri = uri } })
  local n = vim.api.nvim_buf_line_count(buf)
  R.inlay = request('textDocument/inlayHint', { textDocument = { uri = uri }, range = { start = { line = 0, character = 0 }, ['end'] = { line = n, character = 0 } } })
  R.preview = request('scimmap/preview', { uri = uri, recordIndex = 0 })

  -- The sample gains a field outside the editor: its unknown-field warning must go, without any edit.
  local sample = ws .. '/people.json'
  local updated = assert(io.open(ws .. '/people.next.json')):read('*a')
  local f = assert(io.open(sample, 'w'))
  f:write(updated)
  f:close()
  R.external_change = wait('external sample change', function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do if d.code == 'unknown-field' and d.message:find('Department', 1, true) then return false end end
    return true
  end)

  R.fix_field = quick_fix(buf, 'Legl_Name', 1, "Change to 'Legal_Name'")
  wait('fixed field re-checked', function() return not has_code(buf, 'unknown-field') end)
  R.fix_function = quick_fix(buf, '$replac(', 1, "Change to '$replace'")
  wait('fixed function re-checked', function() return not has_code(buf, 'unknown-function') end)
  R.fix_variable = quick_fix(buf, '$domian', 1, "Change to '$domain'")
  wait('fixed variable re-checked', function() return not has_code(buf, 'unknown-variable') end)
  R.after_fixes = diags(buf)

  -- Rename a let binding: the definition and every use.
  at(buf, '  domain:', 2)
  vim.lsp.buf.rename('mailDomain')
  wait('rename', function() return find(buf, '$mailDomain') ~= nil and find(buf, '  mailDomain:') ~= nil end)
  R.renamed = { binding = find(buf, '  mailDomain:') ~= nil, use = find(buf, '$mailDomain') ~= nil, old = find(buf, '$domain') ~= nil }

  -- Completion in new lines at the end of mappings.
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, false, { '  locale: ', '  ', '  name.gi', '  ' })
  R.complete_function = complete(buf, last + 1, '$lowerc', '$lowercase')
  R.complete_urn = complete(buf, last + 2, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:empl', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber')
  vim.api.nvim_buf_set_lines(buf, last + 2, last + 3, false, { '  name.' })
  R.complete_sub = complete(buf, last + 3, 'gi', 'givenName')
  R.complete_value = complete(buf, last + 4, 'title: Personal.Legal_Name.Fi', 'First_Name')
  vim.cmd('silent! write')

  -- A standalone .jsonata file: its diagnostic and the quick fix its message suggests.
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/expr.jsonata'))
  local jbuf = vim.api.nvim_get_current_buf()
  R.jsonata = { filetype = vim.bo[jbuf].filetype }
  wait('.jsonata diagnostics', function() return has_code(jbuf, 'unknown-function') end)
  R.jsonata.diagnostics = diags(jbuf)
  R.jsonata.fix = quick_fix(jbuf, '$lowercse', 1, "Change to '$lowercase'")

  -- The bundled samples are clean.
  R.samples = {}
  for _, name in ipairs(vim.split(samples or '', ',', { trimempty = true })) do
    vim.cmd('edit ' .. vim.fn.fnameescape(name))
    local b = vim.api.nvim_get_current_buf()
    local u = uri_of(name)
    wait('status of ' .. name, function() return status_for(u) ~= nil end)
    R.samples[name] = { status = status_for(u), diagnostics = diags(b), filetype = vim.bo[b].filetype }
  end

  -- A client that prefers UTF-8 positions (Neovim's own byte columns) and takes snippets: started here, not by
  -- the guide.
  vim.api.nvim_clear_autocmds({ event = 'FileType', pattern = 'scimmap' })
  local file8 = ws .. '/utf8/people.scimmap.yaml'
  vim.cmd('edit ' .. vim.fn.fnameescape(file8))
  local buf8 = vim.api.nvim_get_current_buf()
  local caps = vim.lsp.protocol.make_client_capabilities()
  caps.general = { positionEncodings = { 'utf-8', 'utf-16' } }
  -- As with a snippet plugin: the server sends snippets, Neovim 0.7 inserts their text (vim.lsp.util.parse_snippet).
  caps.textDocument.completion.completionItem.snippetSupport = true
  local negotiated
  local id8 = vim.lsp.start_client({
    name = 'scimmap-utf8', cmd = { 'scimmap-language-server', '--stdio' }, root_dir = ws .. '/utf8',
    offset_encoding = 'utf-8', capabilities = caps,
    on_init = function(_, result) negotiated = result.capabilities.positionEncoding end,
  })
  vim.lsp.buf_attach_client(buf8, id8)
  vim.bo[buf8].omnifunc = 'v:lua.vim.lsp.omnifunc'
  wait('utf-8 sample checks', function() return has_code(buf8, 'unknown-field') and has_code(buf8, 'unknown-function') and has_code(buf8, 'unknown-variable') end)
  R.utf8 = { negotiated = negotiated, diagnostics = diags(buf8) }
  R.utf8.fix_field = quick_fix(buf8, 'Legl_Name', 1, "Change to 'Legal_Name'")
  R.utf8.fix_function = quick_fix(buf8, '$replac(', 1, "Change to '$replace'")
  local last8 = vim.api.nvim_buf_line_count(buf8)
  vim.api.nvim_buf_set_lines(buf8, last8, last8, false, { '  locale: $lowercase("ñ🎉") & ' })
  R.utf8.complete_function = complete(buf8, last8 + 1, '$upperc', '$uppercase')

  -- Clean shutdown of every server.
  R.shutdown = {}
  for _, c in ipairs(vim.lsp.get_active_clients()) do
    local rec = { name = c.name, pid = c.rpc.pid }
    c.config.on_exit = function(code, signal) rec.code = code; rec.signal = signal end
    table.insert(R.shutdown, rec)
    c.stop()
  end
  wait('servers exit', function()
    for _, rec in ipairs(R.shutdown) do if rec.code == nil then return false end end
    return true
  end)
end

vim.schedule(function()
  local ok, err = xpcall(run, debug.traceback)
  if not ok then table.insert(R.errors, 'driver: ' .. tostring(err)) end
  finish()
end)
