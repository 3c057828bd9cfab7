// @ts-check
// SCIM Mapper "Compare Preview with…" (webview side): the impact of a mapping change, built with createElement +
// textContent only — attribute names, record keys and values are data, never markup.
(function () {
  'use strict';
  const data = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('data')).textContent || '{}');
  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  /** @param {string} tag @param {string} [cls] @param {unknown} [text] */
  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = String(text);
    return n;
  }
  const plural = (/** @type {number} */ n, /** @type {string} */ w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const show = (/** @type {unknown} */ v) => (v === undefined ? 'absent' : JSON.stringify(v));
  const impact = data.impact;

  byId('title').textContent = `${data.file} compared with ${data.base}`;
  const summary = byId('summary');
  summary.append(
    el('span', 'chip', plural(data.records, 'record')),
    el('span', impact.changedRecords ? 'chip changed' : 'chip', `${impact.changedRecords} changed`),
    el('span', impact.startFailing.count ? 'chip failing' : 'chip', `${impact.startFailing.count} start failing`),
    el('span', 'chip', `${impact.stopFailing.count} stop failing`),
  );
  if (data.baseErrors) summary.append(el('span', 'muted', ` (the ${data.base} version has ${plural(data.baseErrors, 'error')} of its own)`));

  const rows = byId('attributes').querySelector('tbody');
  const paths = Object.entries(impact.attributes).sort((a, b) => b[1].changed - a[1].changed || (a[0] < b[0] ? -1 : 1));
  if (!paths.length) {
    const tr = el('tr');
    const td = el('td', 'muted', 'No attribute changes on the sample.');
    td.setAttribute('colspan', '3');
    tr.append(td);
    rows?.append(tr);
  }
  for (const [path, a] of paths) {
    const tr = el('tr');
    tr.dataset.path = path;
    tr.append(el('td', 'path', path), el('td', 'num', a.changed));
    const ex = el('td');
    for (const e of a.examples) ex.append(el('div', 'example', `${e.record}: ${show(e.before)} → ${show(e.after)}`));
    tr.append(ex);
    rows?.append(tr);
  }

  const failing = byId('failing');
  for (const [label, f] of [['start failing', impact.startFailing], ['stop failing', impact.stopFailing]]) {
    if (!f.count) continue;
    const block = el('div', 'fail-block');
    block.append(el('p', undefined, `${plural(f.count, 'record')} ${label}`));
    for (const e of f.examples) block.append(el('div', 'example', `${e.record}: ${e.errors.join(', ')}`));
    failing.append(block);
  }
  if (!failing.firstChild) failing.append(el('p', 'muted', 'No record starts or stops failing.'));

  // Side by side: the changed records (the first 200), before and after.
  const list = byId('record-list');
  const before = byId('before');
  const after = byId('after');
  byId('before-h').textContent = data.base;
  byId('after-h').textContent = 'now';
  /** @param {number} i */
  function select(i) {
    const r = impact.changed[i];
    for (const n of Array.from(list.children)) n.setAttribute('aria-selected', String(n === list.children[i]));
    before.textContent = JSON.stringify(r.before, null, 2) + (r.beforeErrors.length ? `\n\nrecord errors: ${r.beforeErrors.join(', ')}` : '');
    after.textContent = JSON.stringify(r.after, null, 2) + (r.afterErrors.length ? `\n\nrecord errors: ${r.afterErrors.join(', ')}` : '');
  }
  impact.changed.forEach((/** @type {any} */ r, /** @type {number} */ i) => {
    const item = el('div', 'record', `record ${r.index + 1}${r.key ? ` (${r.key})` : ''} — ${r.changes.map((/** @type {any} */ c) => c.path).join(', ')}`);
    item.setAttribute('role', 'option');
    item.tabIndex = -1;
    item.addEventListener('click', () => select(i));
    list.append(item);
  });
  list.addEventListener('keydown', (e) => {
    const cur = Array.from(list.children).findIndex((n) => n.getAttribute('aria-selected') === 'true');
    if (e.key === 'ArrowDown' && cur < impact.changed.length - 1) select(cur + 1);
    if (e.key === 'ArrowUp' && cur > 0) select(cur - 1);
  });
  if (impact.changed.length) select(0);
  else list.append(el('p', 'muted', 'No record changes.'));
})();
