// @ts-check
// SCIM Mapper preview (webview side). Builds every node with createElement + textContent: HR values are data,
// never markup, so a record holding `<img src=x onerror=...>` shows those characters and runs nothing.
// The record list is virtualised (only the visible rows exist), which keeps 10,000-record samples fast.
(function () {
  'use strict';
  /** @type {{ postMessage(m: unknown): void; getState(): any; setState(s: unknown): void }} */
  // @ts-ignore acquireVsCodeApi is provided by VS Code's webview host
  const vscode = acquireVsCodeApi();

  const ROW_HEIGHT = 24;
  const OVERSCAN = 6;
  const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const ui = {
    title: byId('title'), subtitle: byId('subtitle'), summary: byId('summary'), message: byId('message'),
    tabRecord: byId('tab-record'), tabBulk: byId('tab-bulk'), panelRecord: byId('panel-record'), panelBulk: byId('panel-bulk'),
    search: /** @type {HTMLInputElement} */ (byId('search')), count: byId('count'), list: byId('list'), spacer: byId('spacer'),
    hrTree: byId('hr-tree'), scimTree: byId('scim-tree'), recordErrors: byId('record-errors'),
    bulkSummary: byId('bulk-summary'), bulkRows: byId('bulk-rows'), exportButton: byId('export'),
  };

  const saved = vscode.getState() || {};
  /** @type {{ query: string, tab: 'record' | 'bulk' }} */
  const state = { query: typeof saved.query === 'string' ? saved.query : '', tab: saved.tab === 'bulk' ? 'bulk' : 'record' };
  /** @type {any} PreviewData from the language server */
  let data = null;
  /** @type {any[]} rows of data.records that match the search */
  let visible = [];
  /** Record index shown in the panes. */
  let selected = 0;
  /** Position in `visible` of the keyboard cursor. */
  let cursor = 0;

  /**
   * @param {string} tag
   * @param {string} [className]
   * @param {unknown} [text]
   */
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  /** @param {HTMLElement} node */
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  const plural = (/** @type {number} */ n, /** @type {string} */ w) => `${n} ${w}${n === 1 ? '' : 's'}`;

  // ---- summary and message ----

  function renderSummary() {
    clear(ui.summary);
    if (!data) return;
    const s = data.summary;
    /** @param {string} cls @param {string} text @param {string} label */
    const chip = (cls, text, label) => {
      const c = el('span', `chip ${cls}`, text);
      c.title = label;
      ui.summary.appendChild(c);
    };
    chip('records', plural(data.total, 'record'), data.truncated ? 'The first records of a larger file (scimmap.sample.maxRecords)' : 'Records in the sample');
    chip('ok', `${s.ok} ok`, 'Records that become valid SCIM users');
    chip(s.failing ? 'failing' : 'zero', `${s.failing} failing`, 'Records with an error: left out of uploads');
    chip(s.warnings ? 'warnings' : 'zero', plural(s.warnings, 'warning'), 'Warnings in the mapping (Problems panel)');
    chip(s.errors ? 'failing' : 'zero', plural(s.errors, 'error'), 'Errors in the mapping (Problems panel)');
    if (data.truncated) chip('zero', 'sampled', 'The sample file has more records than were read');
  }

  /** @param {string | undefined} text */
  function showMessage(text) {
    ui.message.hidden = !text;
    ui.message.textContent = text || '';
  }

  // ---- record list (virtualised) ----

  function applyFilter() {
    const q = state.query.trim().toLowerCase();
    const rows = data ? data.records : [];
    visible = !q ? rows : rows.filter((/** @type {any} */ r) =>
      String(r.key ?? '').toLowerCase().includes(q) || String(r.label ?? '').toLowerCase().includes(q) || String(r.index + 1) === q);
    const at = visible.findIndex((r) => r.index === selected);
    cursor = at >= 0 ? at : Math.min(cursor, Math.max(0, visible.length - 1));
    ui.spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    ui.count.textContent = q ? `${visible.length} of ${plural(rows.length, 'record')}` : plural(rows.length, 'record');
    renderRows();
  }

  function renderRows() {
    clear(ui.spacer);
    const top = ui.list.scrollTop;
    const height = ui.list.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    for (let i = first; i < last; i++) {
      const r = visible[i];
      const row = el('div', `row ${r.status === 'error' ? 'is-error' : 'is-ok'}${i === cursor ? ' cursor' : ''}`);
      row.id = `record-${r.index + 1}`; // 1-based, as records are numbered everywhere else
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(r.index === selected));
      row.setAttribute('aria-setsize', String(visible.length));
      row.setAttribute('aria-posinset', String(i + 1));
      row.dataset.index = String(r.index);
      row.style.top = `${i * ROW_HEIGHT}px`;
      const status = el('span', 'status', r.status === 'error' ? '✗' : '✓');
      status.title = r.status === 'error' ? 'fails' : 'ok';
      row.appendChild(status);
      row.appendChild(el('span', 'num', r.index + 1));
      row.appendChild(el('span', 'key', r.key ?? ''));
      row.appendChild(el('span', 'label', r.label));
      row.title = `${r.key ?? `record ${r.index + 1}`} · ${r.label}${r.status === 'error' ? ' · fails' : ''}`;
      ui.spacer.appendChild(row);
    }
    const current = visible[cursor];
    if (current) ui.list.setAttribute('aria-activedescendant', `record-${current.index + 1}`);
    else ui.list.removeAttribute('aria-activedescendant');
  }

  /** @param {number} pos */
  function scrollIntoView(pos) {
    const top = pos * ROW_HEIGHT;
    if (top < ui.list.scrollTop) ui.list.scrollTop = top;
    else if (top + ROW_HEIGHT > ui.list.scrollTop + ui.list.clientHeight) ui.list.scrollTop = top + ROW_HEIGHT - ui.list.clientHeight;
  }

  /** @param {number} index record index */
  function select(index) {
    if (!data || index === selected && data.selected && data.selected.index === index) return;
    selected = index;
    const at = visible.findIndex((r) => r.index === index);
    if (at >= 0) cursor = at;
    renderRows();
    ui.recordErrors.textContent = '';
    ui.scimTree.classList.add('stale');
    ui.hrTree.classList.add('stale');
    vscode.postMessage({ type: 'select', index });
  }

  /** @param {number} pos */
  function moveCursor(pos) {
    if (!visible.length) return;
    cursor = Math.max(0, Math.min(visible.length - 1, pos));
    scrollIntoView(cursor);
    select(visible[cursor].index);
  }

  ui.list.addEventListener('scroll', () => renderRows(), { passive: true });
  ui.list.addEventListener('click', (e) => {
    const row = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest('.row'));
    if (row && row.dataset.index) select(Number(row.dataset.index));
  });
  ui.list.addEventListener('keydown', (e) => {
    const page = Math.max(1, Math.floor(ui.list.clientHeight / ROW_HEIGHT) - 1);
    const moves = /** @type {Record<string, () => number>} */ ({
      ArrowDown: () => cursor + 1, ArrowUp: () => cursor - 1, PageDown: () => cursor + page, PageUp: () => cursor - page,
      Home: () => 0, End: () => visible.length - 1,
    });
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      moveCursor(move());
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (visible[cursor]) select(visible[cursor].index);
    }
  });
  ui.search.value = state.query;
  ui.search.addEventListener('input', () => {
    state.query = ui.search.value;
    vscode.setState(state);
    ui.list.scrollTop = 0;
    applyFilter();
  });
  ui.search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'Enter') {
      e.preventDefault();
      ui.list.focus();
      if (visible.length) moveCursor(cursor);
    }
  });

  // ---- JSON trees (HR record, SCIM payload) ----

  /**
   * Parses a mapping key (`name.givenName`, `emails[type eq "work"].value`, `urn:…:User:manager.value`) into the
   * keys of the resource it writes, with the value filter of multi-valued attributes.
   * @param {string} attribute
   * @returns {{ name: string, filter?: { attr: string, value: string } }[]}
   */
  function attributeSegments(attribute) {
    /** @type {{ name: string, filter?: { attr: string, value: string } }[]} */
    const out = [];
    let rest = attribute;
    if (/^urn:/i.test(attribute)) {
      const bracket = attribute.indexOf('[');
      const colon = attribute.lastIndexOf(':', bracket >= 0 ? bracket : attribute.length);
      const urn = attribute.slice(0, colon);
      rest = attribute.slice(colon + 1);
      if (urn.toLowerCase() !== CORE_USER.toLowerCase()) out.push({ name: urn });
    }
    for (const part of rest.match(/(?:[^.[\]]+|\[[^\]]*\])+/g) || []) {
      const m = /^([^[]+)(?:\[\s*([\w$-]+)\s+eq\s+"([^"]*)"\s*\])?/i.exec(part);
      if (m) out.push(m[2] ? { name: m[1], filter: { attr: m[2], value: m[3] } } : { name: m[1] });
    }
    return out;
  }

  /**
   * Where an attribute's error goes in the rendered payload: the deepest existing node on its path, and whether the
   * attribute itself is missing there (not sent).
   * @param {unknown} resource
   * @param {string} attribute
   */
  function placeError(resource, attribute) {
    let cur = resource;
    let pointer = '';
    for (const seg of attributeSegments(attribute)) {
      if (!cur || typeof cur !== 'object' || Array.isArray(cur)) return { pointer, missing: true };
      const key = Object.keys(cur).find((k) => k.toLowerCase() === seg.name.toLowerCase());
      if (key === undefined) return { pointer, missing: true };
      pointer += `/${key}`;
      cur = /** @type {any} */ (cur)[key];
      if (Array.isArray(cur) && seg.filter) {
        const f = seg.filter;
        const i = cur.findIndex((x) => x && typeof x === 'object' &&
          Object.entries(x).some(([k, v]) => k.toLowerCase() === f.attr.toLowerCase() && String(v).toLowerCase() === f.value.toLowerCase()));
        if (i < 0) return { pointer, missing: true };
        pointer += `/${i}`;
        cur = cur[i];
      }
    }
    return { pointer, missing: false };
  }

  /**
   * Renders a JSON value as indented lines; each line has data-pointer (JSON-pointer-like path) for its value.
   * @param {HTMLElement} container
   * @param {unknown} value
   * @param {Map<string, { attribute: string, text: string, missing: boolean }[]>} [errors] by pointer
   */
  function renderJson(container, value, errors) {
    clear(container);
    container.classList.remove('stale');
    const frag = document.createDocumentFragment();
    /** @param {number} depth @param {string} pointer */
    const line = (depth, pointer) => {
      const d = el('div', 'line');
      d.style.paddingLeft = `${depth * 1.2}em`;
      d.dataset.pointer = pointer;
      frag.appendChild(d);
      return d;
    };
    /** @param {number} depth @param {string} pointer */
    const errorLines = (depth, pointer) => {
      for (const e of (errors && errors.get(pointer)) || []) {
        const d = el('div', `line error-line${e.missing ? ' missing' : ''}`);
        d.style.paddingLeft = `${depth * 1.2}em`;
        d.setAttribute('role', 'note');
        d.dataset.attribute = e.attribute;
        d.appendChild(el('span', 'error-icon', '⚠'));
        if (e.missing) d.appendChild(el('span', 'error-attr', `${e.attribute} (not sent): `));
        d.appendChild(el('span', 'error-text', e.text));
        frag.appendChild(d);
      }
    };
    /** @param {HTMLElement} d @param {unknown} v */
    const scalar = (d, v) => {
      const type = v === null ? 'null' : typeof v;
      d.appendChild(el('span', `v-${type}`, type === 'string' ? JSON.stringify(v) : String(v)));
    };
    /**
     * @param {string | number | null} key
     * @param {unknown} v
     * @param {number} depth
     * @param {string} pointer
     * @param {boolean} comma
     */
    const visit = (key, v, depth, pointer, comma) => {
      const d = line(depth, pointer);
      const hasError = !!(errors && errors.has(pointer));
      if (hasError) d.classList.add('has-error');
      if (typeof key === 'string') {
        d.appendChild(el('span', 'k', JSON.stringify(key)));
        d.appendChild(el('span', 'p', ': '));
      }
      const container = v !== null && typeof v === 'object';
      const entries = container ? (Array.isArray(v) ? v.map((x, i) => /** @type {[number, unknown]} */ ([i, x])) : Object.entries(/** @type {object} */ (v))) : [];
      if (!container) {
        scalar(d, v);
        if (comma) d.appendChild(el('span', 'p', ','));
        errorLines(depth + 1, pointer);
        return;
      }
      const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
      if (!entries.length) {
        d.appendChild(el('span', 'p', `${open}${close}${comma ? ',' : ''}`));
        errorLines(depth + 1, pointer);
        return;
      }
      d.appendChild(el('span', 'p', open));
      errorLines(depth + 1, pointer);
      entries.forEach(([k, x], i) => visit(Array.isArray(v) ? null : /** @type {string} */ (k), x, depth + 1, `${pointer}/${k}`, i < entries.length - 1));
      line(depth, pointer).appendChild(el('span', 'p', `${close}${comma ? ',' : ''}`));
    };
    visit(null, value, 0, '', false);
    container.appendChild(frag);
  }

  function renderSelected() {
    const s = data && data.selected;
    clear(ui.recordErrors);
    if (!s) {
      clear(ui.hrTree);
      clear(ui.scimTree);
      return;
    }
    selected = s.index;
    renderJson(ui.hrTree, s.record);
    /** @type {Map<string, { attribute: string, text: string, missing: boolean }[]>} */
    const byPointer = new Map();
    for (const e of s.errors || []) {
      const text = `${e.code}: ${e.message}`;
      if (!e.attribute) {
        const d = el('div', 'record-error');
        d.setAttribute('role', 'note');
        d.appendChild(el('span', 'error-icon', '⚠'));
        d.appendChild(el('span', 'error-text', text));
        ui.recordErrors.appendChild(d);
        continue;
      }
      const at = placeError(s.resource, e.attribute);
      const list = byPointer.get(at.pointer) || [];
      list.push({ attribute: e.attribute, text, missing: at.missing });
      byPointer.set(at.pointer, list);
    }
    renderJson(ui.scimTree, s.resource, byPointer);
    ui.scimTree.dataset.index = String(s.index);
  }

  // ---- bulk ----

  function renderBulk() {
    clear(ui.bulkRows);
    if (!data) return;
    const b = data.bulk;
    const ops = b.batches.reduce((n, x) => n + x.operations, 0);
    ui.bulkSummary.textContent = `${plural(b.batches.length, 'BulkRequest')} with ${plural(ops, 'operation')} (at most ${b.size} each). ` +
      (data.summary.failing ? `${plural(data.summary.failing, 'failing record')} left out.` : 'No record left out.');
    for (const batch of b.batches) {
      const tr = el('tr');
      tr.appendChild(el('td', 'num', `#${batch.index + 1}`));
      tr.appendChild(el('td', 'num', batch.operations));
      tr.appendChild(el('td', 'mono', batch.first ?? ''));
      tr.appendChild(el('td', 'mono', batch.last ?? ''));
      ui.bulkRows.appendChild(tr);
    }
  }
  ui.exportButton.addEventListener('click', () => vscode.postMessage({ type: 'export' }));

  // ---- tabs ----

  /** @param {'record' | 'bulk'} tab @param {boolean} [focus] */
  function showTab(tab, focus) {
    state.tab = tab;
    vscode.setState(state);
    const record = tab === 'record';
    ui.tabRecord.setAttribute('aria-selected', String(record));
    ui.tabBulk.setAttribute('aria-selected', String(!record));
    ui.tabRecord.tabIndex = record ? 0 : -1;
    ui.tabBulk.tabIndex = record ? -1 : 0;
    ui.panelRecord.hidden = !record;
    ui.panelBulk.hidden = record;
    if (focus) (record ? ui.tabRecord : ui.tabBulk).focus();
    if (record) renderRows();
  }
  ui.tabRecord.addEventListener('click', () => showTab('record'));
  ui.tabBulk.addEventListener('click', () => showTab('bulk'));
  for (const tab of [ui.tabRecord, ui.tabBulk]) {
    tab.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft' || e.key === 'Home' || e.key === 'End') {
        e.preventDefault();
        showTab(state.tab === 'record' ? 'bulk' : 'record', true);
      }
    });
  }

  // ---- messages from the extension ----

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'loading') {
      ui.title.textContent = String(m.file);
      document.body.classList.add('loading');
    } else if (m.type === 'error') {
      document.body.classList.remove('loading');
      if (m.file) ui.title.textContent = String(m.file);
      showMessage(String(m.message));
    } else if (m.type === 'update') {
      document.body.classList.remove('loading');
      data = m.data;
      ui.title.textContent = data.name ? String(data.name) : String(m.file);
      ui.subtitle.textContent = `${m.file}${data.samplePath ? ` · sample ${String(data.samplePath).split(/[\\/]/).pop()}` : ''} · target ${data.target}`;
      showMessage(data.message);
      document.body.classList.toggle('no-sample', !data.selected);
      if (data.selected) selected = data.selected.index;
      renderSummary();
      applyFilter();
      renderSelected();
      renderBulk();
    }
  });

  window.addEventListener('resize', () => renderRows());
  showTab(state.tab);
  vscode.postMessage({ type: 'ready' });
})();
