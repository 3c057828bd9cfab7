// @ts-check
// The preview's third column, "Entra user" (see src/service/entraPreview.ts): the Entra properties the
// provisioning app's attribute mappings compute for the selected record. A separate script listening to the
// same update messages as preview.js; it builds nodes with textContent only (schema and HR values are data).
(function () {
  'use strict';
  const pane = /** @type {HTMLElement | null} */ (document.getElementById('entra-pane'));
  const tree = /** @type {HTMLElement | null} */ (document.getElementById('entra-tree'));
  const note = /** @type {HTMLElement | null} */ (document.getElementById('entra-note'));
  if (!pane || !tree || !note) return;

  /** @param {string} tag @param {string} [cls] @param {unknown} [text] */
  function el(tag, cls, text) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text !== undefined) n.textContent = String(text);
    return n;
  }

  /** @param {any} p */
  function how(p) {
    const when = p.onCreateOnly ? 'on creation only' : 'always';
    const what = p.how === 'Direct' ? `Direct from ${p.text}` : p.how === 'Constant' ? `Constant "${p.text}"` : p.how === 'Expression' ? p.text : 'no source';
    return `${what} · ${when}${p.matching ? ' · matching' : ''}`;
  }

  /** @param {any} entra */
  function render(entra) {
    while (tree.firstChild) tree.removeChild(tree.firstChild);
    document.body.classList.toggle('has-entra', !!entra);
    pane.hidden = !entra;
    if (!entra) return;
    const file = String(entra.appPath || '').split(/[\\/]/).pop();
    note.textContent = entra.error ? String(entra.error) : `From the provisioning app schema ${file}`;
    for (const p of entra.properties || []) {
      const o = p.outcome || {};
      if (o.kind === 'unset') continue; // the property is not set: Entra leaves it as it is
      const row = el('div', 'entra-row');
      row.dataset.property = String(p.target);
      row.appendChild(el('span', 'entra-prop', p.target));
      if (o.kind === 'value') row.appendChild(el('span', 'entra-value', typeof o.value === 'string' ? o.value : JSON.stringify(o.value)));
      else if (o.kind === 'computedByEntra') {
        const v = el('span', 'entra-value entra-computed', 'computed by Entra');
        v.title = String(o.reason);
        row.appendChild(v);
      } else row.appendChild(el('span', 'entra-value entra-error', `error: ${o.message}`));
      row.appendChild(el('span', 'entra-how', o.kind === 'computedByEntra' ? `${how(p)} — ${o.reason}` : how(p)));
      tree.appendChild(row);
    }
    if (entra.dropped && entra.dropped.length) {
      tree.appendChild(el('div', 'entra-dropped', `Dropped by Entra (not in the app's source attribute list): ${entra.dropped.join(', ')}`));
    }
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || typeof m !== 'object' || m.type !== 'update') return;
    render(m.data && m.data.selected ? m.data.selected.entra : undefined);
  });
})();
