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
    failingOnly: /** @type {HTMLInputElement} */ (byId('failing-only')), focus: byId('focus'), focusText: byId('focus-text'), focusClear: byId('focus-clear'),
    send: byId('send'), bulkDetail: byId('bulk-detail'), bulkDetailTitle: byId('bulk-detail-title'), bulkCopy: byId('bulk-copy'),
    bulkClose: byId('bulk-close'), bulkJson: byId('bulk-json'),
  };

  const saved = vscode.getState() || {};
  /** @typedef {{ attribute?: string, code?: string, label?: string }} Focus records with an error on this attribute / code */
  /** @type {{ query: string, tab: 'record' | 'bulk', failingOnly: boolean, skippedOnly: boolean, focus?: Focus, uri?: string, selected?: number }} */
  const state = {
    query: typeof saved.query === 'string' ? saved.query : '',
    tab: saved.tab === 'bulk' ? 'bulk' : 'record',
    failingOnly: saved.failingOnly === true,
    skippedOnly: saved.skippedOnly === true && saved.failingOnly !== true,
    focus: saved.focus && typeof saved.focus === 'object' ? saved.focus : undefined,
    uri: typeof saved.uri === 'string' ? saved.uri : undefined,
    selected: Number.isInteger(saved.selected) ? saved.selected : undefined,
  };
  /** BulkRequest shown whole in the Bulk tab. */
  let bulkShown = -1;
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

  /** Lower case without diacritics ("Seán" → "sean"), as the server folds each record's search text. */
  const fold = (/** @type {string} */ t) => t.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();

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
      return c;
    };
    chip('records', plural(data.total, 'record'), data.truncated ? 'The first records of a larger file (scimmap.sample.maxRecords)' : 'Records in the sample');
    chip('ok', `${s.ok} ok`, 'Records that become valid SCIM users');
    // The failing chip is a button: it filters the list to the failing records (and back).
    const failing = el('button', `chip ${s.failing ? 'failing' : 'zero'}${state.failingOnly ? ' pressed' : ''}`, `${s.failing} failing`);
    failing.id = 'failing-chip';
    failing.setAttribute('type', 'button');
    failing.setAttribute('aria-pressed', String(state.failingOnly));
    failing.title = state.failingOnly ? 'Showing the failing records only; click to show every record' : 'Records with an error are left out of uploads; click to list only them';
    failing.addEventListener('click', () => {
      setFailingOnly(!state.failingOnly);
      showTab('record');
    });
    ui.summary.appendChild(failing);
    // Skipped records are left out of uploads without an error (source.duplicates: first|last): their own chip,
    // a filter like the failing one, never counted as ok.
    const skippedCount = s.skipped || 0;
    const skipped = el('button', `chip ${skippedCount ? 'skipped' : 'zero'}${state.skippedOnly ? ' pressed' : ''}`, `${skippedCount} skipped`);
    skipped.id = 'skipped-chip';
    skipped.setAttribute('type', 'button');
    skipped.setAttribute('aria-pressed', String(state.skippedOnly));
    skipped.title = state.skippedOnly ? 'Showing the skipped records only; click to show every record' : 'Records left out of uploads without an error (e.g. a duplicate with source.duplicates: first or last); click to list only them';
    skipped.addEventListener('click', () => {
      setSkippedOnly(!state.skippedOnly);
      showTab('record');
    });
    ui.summary.appendChild(skipped);
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

  /** @param {any} r @param {Focus} f */
  const matchesFocus = (r, f) => (r.errors || []).some((/** @type {any} */ e) => (!f.attribute || e.attribute === f.attribute) && (!f.code || e.code === f.code));

  function applyFilter() {
    const q = fold(state.query.trim());
    const rows = data ? data.records : [];
    const f = state.focus;
    const filtered = !!(q || state.failingOnly || state.skippedOnly || f);
    visible = !filtered ? rows : rows.filter((/** @type {any} */ r) =>
      (!state.failingOnly || r.status === 'error') &&
      (!state.skippedOnly || r.status === 'skipped') &&
      (!f || matchesFocus(r, f)) &&
      (!q || String(r.index + 1) === q || fold(String(r.key ?? '')).includes(q) || fold(String(r.label ?? '')).includes(q) || String(r.text ?? '').includes(q)));
    const at = visible.findIndex((r) => r.index === selected);
    cursor = at >= 0 ? at : Math.min(cursor, Math.max(0, visible.length - 1));
    ui.spacer.style.height = `${visible.length * ROW_HEIGHT}px`;
    ui.count.textContent = filtered ? `${visible.length} of ${plural(rows.length, 'record')}` : plural(rows.length, 'record');
    ui.failingOnly.checked = state.failingOnly;
    ui.focus.hidden = !f;
    ui.focusText.textContent = f ? `Errors ${f.label || [f.code, f.attribute && `on ${f.attribute}`].filter(Boolean).join(' ')}` : '';
    const sendable = visible.filter((r) => r.status === 'ok').length;
    ui.send.textContent = `Send these ${plural(sendable, 'record')}…`;
    ui.send.toggleAttribute('disabled', !sendable);
    renderRows();
  }

  /** @param {boolean} on */
  function setFailingOnly(on) {
    state.failingOnly = on;
    if (on) state.skippedOnly = false;
    if (!on) state.focus = undefined;
    vscode.setState(state);
    ui.list.scrollTop = 0;
    renderSummary();
    applyFilter();
  }
  /** @param {boolean} on */
  function setSkippedOnly(on) {
    state.skippedOnly = on;
    if (on) {
      state.failingOnly = false;
      state.focus = undefined;
    }
    vscode.setState(state);
    ui.list.scrollTop = 0;
    renderSummary();
    applyFilter();
  }
  ui.failingOnly.addEventListener('change', () => setFailingOnly(ui.failingOnly.checked));
  ui.focusClear.addEventListener('click', () => {
    state.focus = undefined;
    vscode.setState(state);
    applyFilter();
  });
  // "Send these records": the ones listed (search and filters applied) that map without errors.
  ui.send.addEventListener('click', () => {
    const indexes = visible.filter((r) => r.status === 'ok').map((r) => r.index);
    if (indexes.length) vscode.postMessage({ type: 'send', indexes });
  });

  function renderRows() {
    clear(ui.spacer);
    const top = ui.list.scrollTop;
    const height = ui.list.clientHeight || 400;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(visible.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    for (let i = first; i < last; i++) {
      const r = visible[i];
      const row = el('div', `row ${r.status === 'error' ? 'is-error' : r.status === 'skipped' ? 'is-skipped' : 'is-ok'}${i === cursor ? ' cursor' : ''}`);
      row.id = `record-${r.index + 1}`; // 1-based, as records are numbered everywhere else
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(r.index === selected));
      row.setAttribute('aria-setsize', String(visible.length));
      row.setAttribute('aria-posinset', String(i + 1));
      row.dataset.index = String(r.index);
      row.style.top = `${i * ROW_HEIGHT}px`;
      const n = (r.errors || []).length;
      const skippedWhy = r.status === 'skipped' && r.skipped ? String(r.skipped.message) : '';
      const status = el('span', 'status', r.status === 'error' ? '✗' : r.status === 'skipped' ? '⤼' : '✓');
      status.title = r.status === 'error' ? `fails: ${plural(n, 'error')}, not sent` : r.status === 'skipped' ? `skipped, not sent: ${skippedWhy}` : 'ok';
      row.appendChild(status);
      row.appendChild(el('span', 'num', r.index + 1));
      row.appendChild(el('span', 'key', r.key ?? ''));
      row.appendChild(el('span', 'label', r.label));
      if (r.status === 'error') row.appendChild(el('span', 'codes', (r.errors || []).map((/** @type {any} */ e) => e.code).filter((/** @type {string} */ c, /** @type {number} */ i, /** @type {string[]} */ a) => a.indexOf(c) === i).join(', ')));
      if (r.status === 'skipped') row.appendChild(el('span', 'codes skipped-label', `skipped: ${r.skipped ? r.skipped.code : 'not sent'}`));
      row.title = `${r.key ?? `record ${r.index + 1}`} · ${r.label}${r.status === 'error' ? ` · fails (${(r.errors || []).map((/** @type {any} */ e) => e.code).join(', ')})` : ''}${r.status === 'skipped' ? ` · skipped, not sent: ${skippedWhy}` : ''}`;
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
    const errors = s.errors || [];
    if (errors.length) {
      // Why this record is not sent, first; each error is also shown next to its attribute below.
      const head = el('div', 'record-error record-error-head');
      head.setAttribute('role', 'note');
      head.appendChild(el('span', 'error-icon', '✗'));
      head.appendChild(el('span', 'error-text', `Not sent: ${plural(errors.length, 'error')}${errors.some((/** @type {any} */ e) => e.attribute) ? ', shown next to the attribute' : ''}.`));
      ui.recordErrors.appendChild(head);
    }
    if (!errors.length && s.skipped) {
      // Left out of the upload without an error: say so first, with the engine's reason.
      const head = el('div', 'record-error record-skipped');
      head.id = 'record-skipped';
      head.setAttribute('role', 'note');
      head.appendChild(el('span', 'error-icon', '⤼'));
      head.appendChild(el('span', 'error-text', `Skipped, not sent: ${s.skipped.code}: ${s.skipped.message}`));
      ui.recordErrors.appendChild(head);
    }
    for (const e of errors) {
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
      (data.summary.failing || data.summary.skipped
        ? `${[data.summary.failing ? plural(data.summary.failing, 'failing record') : '', data.summary.skipped ? plural(data.summary.skipped, 'skipped record') : ''].filter(Boolean).join(' and ')} left out.`
        : 'No record left out.');
    for (const batch of b.batches) {
      const tr = el('tr', batch.index === bulkShown ? 'shown' : undefined);
      const open = el('button', 'link', `#${batch.index + 1}`);
      open.setAttribute('type', 'button');
      open.title = `Show BulkRequest #${batch.index + 1} whole`;
      open.dataset.request = String(batch.index);
      const first = el('td', 'num');
      first.appendChild(open);
      tr.appendChild(first);
      tr.appendChild(el('td', 'num', batch.operations));
      tr.appendChild(el('td', 'mono', batch.first ?? ''));
      tr.appendChild(el('td', 'mono', batch.last ?? ''));
      ui.bulkRows.appendChild(tr);
    }
  }
  ui.exportButton.addEventListener('click', () => vscode.postMessage({ type: 'export' }));
  ui.bulkRows.addEventListener('click', (e) => {
    const b = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest('button[data-request]'));
    if (!b) return;
    bulkShown = Number(b.dataset.request);
    ui.bulkDetail.hidden = false;
    ui.bulkDetailTitle.textContent = `BulkRequest #${bulkShown + 1}`;
    ui.bulkJson.textContent = 'Loading…';
    renderBulk();
    vscode.postMessage({ type: 'bulkRequest', index: bulkShown });
  });
  ui.bulkCopy.addEventListener('click', () => {
    if (bulkShown >= 0) vscode.postMessage({ type: 'copyBulkRequest', index: bulkShown });
  });
  ui.bulkClose.addEventListener('click', () => {
    bulkShown = -1;
    ui.bulkDetail.hidden = true;
    renderBulk();
  });

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
    } else if (m.type === 'filter') {
      state.failingOnly = m.failingOnly === true;
      if (state.failingOnly) state.skippedOnly = false;
      state.focus = m.attribute || m.code ? { attribute: m.attribute ? String(m.attribute) : undefined, code: m.code ? String(m.code) : undefined, label: m.label ? String(m.label) : undefined } : undefined;
      vscode.setState(state);
      ui.list.scrollTop = 0;
      showTab('record');
      renderSummary();
      applyFilter();
      // Show the first record the filter keeps, so its errors are in view.
      if (visible.length && !visible.some((r) => r.index === selected)) moveCursor(0);
    } else if (m.type === 'bulkRequest') {
      if (Number(m.index) === bulkShown) {
        ui.bulkDetailTitle.textContent = `BulkRequest #${bulkShown + 1} · ${plural(Number(m.operations), 'operation')}`;
        ui.bulkJson.textContent = String(m.json);
      }
    } else if (m.type === 'update') {
      document.body.classList.remove('loading');
      data = m.data;
      state.uri = String(data.uri); // the extension restores the preview from this after a window reload
      if (data.selected) state.selected = data.selected.index;
      vscode.setState(state);
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
