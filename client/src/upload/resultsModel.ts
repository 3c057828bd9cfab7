/**
 * The results view's data and page. Pure: no `vscode` import.
 *
 * The page is a fixed shell (strict CSP, one nonce'd script, no remote loads); the data arrives by postMessage and the
 * script writes it with textContent only, so HR values such as `<img onerror=…>` show as text and never run.
 */
import type { ProvisioningOutcome } from '../../../src/targets/entra/upload/results';
import { resultRow, summarizeResults, type ResultRow, type ResultTotals } from '../../../src/targets/entra/upload/outcomes';
import type { BatchStatus, RecordStatus, UploadSummary, UploadTotals } from '../../../src/delivery/types';
import { SCIM_POLL_MESSAGE, scimCellOf, scimHeadline, scimResultRow, scimTotals, type ScimCell, type ScimTotals } from './scimResults';
import { webviewPage, WEBVIEW_EL_HELPER } from '../webviewPage';

/** What the page shows of Entra's outcome for one record (the outcome's fields, minus ids and dates). */
export type ProvisioningCell = Pick<ProvisioningOutcome, 'found' | 'action' | 'status' | 'errorCode' | 'reason' | 'recommendedAction' | 'activityDateTime'>;

export interface RecordRow {
  ordinal: number;
  externalId: string;
  label: string;
  batch: number;
  status: RecordStatus;
  error?: string;
  /** The API's error code when it refused the request carrying the record. */
  errorCode?: string;
  previouslyAccepted?: boolean;
  provisioning?: ProvisioningCell;
  /** Uploads to a SCIM service provider: what the server answered for this operation (scimResults.ts). */
  scim?: ScimCell;
}

export interface BatchRow {
  seq: number;
  operations: number;
  status: BatchStatus;
  httpStatus?: number;
  attempts: number;
  requestId?: string;
  error?: string;
}

export type PollState = 'not-started' | 'waiting' | 'complete' | 'timed-out' | 'failed' | 'stopped';

export interface ResultsState {
  runId: string;
  profile: string;
  endpoint: string;
  host: string;
  jobId: string;
  startedAt: string;
  durationMs: number;
  totals: UploadTotals;
  stopped?: string;
  batches: BatchRow[];
  records: RecordRow[];
  poll: { state: PollState; message: string; found: number; total: number; lastPolledAt?: string };
  notice: string;
  /** The mapping the records came from (rows link to their HR record in its preview). */
  mappingUri?: string;
  /** 'scim': a SCIM service provider (operations answered directly; no provisioning logs). Absent: Entra. */
  target?: 'scim';
}

/** A record row as the page shows it: the upload row plus its final outcome (engine's resultRow). */
export interface ViewRow extends ResultRow {
  ordinal: number;
  label: string;
  upload: RecordStatus;
  previouslyAccepted?: boolean;
  logged: boolean;
  /** SCIM: a manager link (pass 2), the HTTP status, the server's id and the error's scimType. */
  link?: boolean;
  httpStatus?: number;
  serverId?: string;
  scimType?: string;
}

/** What the page receives: the state, the shared totals and one row per record. */
export interface ResultsView extends ResultsState {
  summary: ResultTotals;
  rows: ViewRow[];
  /** SCIM: counts by the server's answer, and the headline made of them. */
  scimTotals?: ScimTotals;
  headlineText?: string;
}

export function resultRows(state: ResultsState): ViewRow[] {
  if (state.target === 'scim') {
    return state.records.map((r) => {
      const cell = r.scim ?? { link: false };
      return {
        ...scimResultRow(r.externalId, r.status, cell, r.errorCode, r.error, r.previouslyAccepted),
        ordinal: r.ordinal,
        label: r.label,
        upload: r.status,
        previouslyAccepted: r.previouslyAccepted,
        logged: false,
        link: cell.link,
        httpStatus: cell.httpStatus,
        serverId: cell.serverId,
        scimType: cell.scimType,
      };
    });
  }
  return state.records.map((r) => ({
    ...resultRow({ externalId: r.externalId, upload: r.status, uploadErrorCode: r.errorCode, uploadError: r.error, provisioning: r.provisioning }),
    ordinal: r.ordinal,
    label: r.label,
    upload: r.status,
    previouslyAccepted: r.previouslyAccepted,
    logged: !!r.provisioning?.found,
  }));
}

export function resultsView(state: ResultsState): ResultsView {
  const rows = resultRows(state);
  if (state.target !== 'scim') return { ...state, summary: summarizeResults(rows), rows };
  const totals = scimTotals(rows);
  return { ...state, summary: summarizeResults(rows), rows, scimTotals: totals, headlineText: scimHeadline(totals) };
}

/** The records to send again: those Entra failed to provision, and those the API refused (once each: a SCIM user and its manager link share one). */
export function failedExternalIds(state: ResultsState): string[] {
  return [...new Set(resultRows(state).filter((r) => r.outcome === 'failed').map((r) => r.externalId))];
}

export function buildResultsState(
  summary: UploadSummary,
  meta: { runId: string; profile: string; host: string; jobId: string; labels: Record<string, string>; notice: string; mappingUri?: string; target?: 'scim' },
): ResultsState {
  const scim = meta.target === 'scim';
  const records: RecordRow[] = summary.records.map((r) => ({
    ordinal: r.ordinal,
    externalId: r.externalId ?? r.bulkId,
    label: meta.labels[r.externalId ?? r.bulkId] ?? r.externalId ?? r.bulkId,
    batch: r.batch,
    status: r.status,
    error: r.status === 'accepted' ? undefined : [r.errorCode, r.errorMessage].filter(Boolean).join(': ') || undefined,
    errorCode: r.status === 'accepted' ? undefined : r.errorCode,
    previouslyAccepted: r.previouslyAccepted,
    ...(scim ? { scim: scimCellOf(r), error: r.status === 'accepted' ? undefined : r.errorMessage || r.errorCode } : {}),
  }));
  const accepted = scim ? 0 : records.filter((r) => r.status === 'accepted').length;
  return {
    runId: meta.runId,
    profile: meta.profile,
    endpoint: summary.endpoint,
    host: meta.host,
    jobId: meta.jobId,
    startedAt: summary.startedAt,
    durationMs: summary.durationMs,
    totals: summary.totals,
    stopped: summary.stopped?.message,
    batches: summary.batches.map((b) => ({
      seq: b.seq,
      operations: b.operations,
      status: b.status,
      httpStatus: b.httpStatus,
      attempts: b.attempts,
      requestId: b.requestId,
      error: b.status === 'accepted' ? undefined : [b.errorCode, b.errorMessage].filter(Boolean).join(': ') || undefined,
    })),
    records,
    poll: scim
      ? { state: 'stopped', message: SCIM_POLL_MESSAGE, found: 0, total: 0 }
      : { state: accepted ? 'not-started' : 'stopped', message: accepted ? 'Waiting for the provisioning logs.' : 'No record was accepted; nothing to look up.', found: 0, total: accepted },
    notice: meta.notice,
    mappingUri: meta.mappingUri,
    ...(scim ? { target: 'scim' as const } : {}),
  };
}

/** Merges polled outcomes into the rows (by externalId); a later poll only ever adds or refreshes entries. */
export function applyOutcomes(state: ResultsState, outcomes: readonly ProvisioningOutcome[]): ResultsState {
  const by = new Map(outcomes.map((o) => [o.externalId, o]));
  const records = state.records.map((r) => {
    const o = by.get(r.externalId);
    if (!o || (!o.found && r.provisioning?.found)) return r;
    const cell: ProvisioningCell = o.found
      ? { found: true, action: o.action, status: o.status, errorCode: o.errorCode, reason: o.reason, recommendedAction: o.recommendedAction, activityDateTime: o.activityDateTime }
      : { found: false };
    return { ...r, provisioning: cell };
  });
  const total = records.filter((r) => r.status === 'accepted').length;
  const found = records.filter((r) => r.status === 'accepted' && r.provisioning?.found).length;
  return { ...state, records, poll: { ...state.poll, found, total } };
}

/** The accepted records that still have no provisioning-log entry. */
export function pendingExternalIds(state: ResultsState): string[] {
  if (state.target === 'scim') return [];
  return state.records.filter((r) => r.status === 'accepted' && !r.provisioning?.found).map((r) => r.externalId);
}

export function acceptedExternalIds(state: ResultsState): string[] {
  if (state.target === 'scim') return []; // nothing to look up in provisioning logs
  return state.records.filter((r) => r.status === 'accepted').map((r) => r.externalId);
}

/** The page shell. `cspSource` is the webview's own origin (for nothing but completeness: the page loads no files). */
export function resultsHtml(nonce: string, cspSource: string): string {
  return webviewPage({ nonce, cspSource, title: 'Test upload results', css: RESULTS_CSS, loading: 'Loading…', script: WEBVIEW_SCRIPT });
}

const RESULTS_CSS = `body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h2 { font-size: 1.2em; margin: 14px 0 6px; }
h3 { font-size: 1em; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
th { font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; width: 4em; }
.headline { font-size: 1.15em; font-weight: 600; padding: 8px 10px; margin: 8px 0; border-left: 4px solid var(--vscode-descriptionForeground); background: var(--vscode-textBlockQuote-background); }
.headline.good { border-left-color: var(--vscode-testing-iconPassed, #3a3); }
.headline.bad { border-left-color: var(--vscode-errorForeground, #e44); }
.headline .accepted-count { font-weight: normal; color: var(--vscode-descriptionForeground); margin-left: 8px; }
.totals span { margin-right: 14px; }
.accepted, .success, .created, .updated, .disabled { color: var(--vscode-testing-iconPassed, #3a3); }
.failed, .failure { color: var(--vscode-errorForeground, #e44); }
.not-sent, .in-doubt, .warning, .skipped, .pending { color: var(--vscode-descriptionForeground, #888); }
.notice { color: var(--vscode-descriptionForeground); margin: 6px 0; }
.detail { color: var(--vscode-descriptionForeground); white-space: pre-wrap; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 6px 0; }
input[type="search"], select { color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); padding: 3px 6px; font: inherit; }
tr.group td { font-weight: 600; background: var(--vscode-list-inactiveSelectionBackground, transparent); }
tr.group .detail { font-weight: normal; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; cursor: pointer; font: inherit; }
button:hover { background: var(--vscode-button-hoverBackground); }
button.secondary { color: var(--vscode-button-secondaryForeground, var(--vscode-button-foreground)); background: var(--vscode-button-secondaryBackground, var(--vscode-button-background)); }
button.link { background: none; color: var(--vscode-textLink-foreground); padding: 0; }
button.link:hover { text-decoration: underline; background: none; }
button[disabled] { opacity: 0.5; cursor: default; }`;

// Runs inside the webview. Every value goes through textContent; nothing is parsed as HTML.
const WEBVIEW_SCRIPT = String.raw`(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  const saved = vscode.getState() || {};
  const filter = { failedOnly: saved.failedOnly === true, code: typeof saved.code === 'string' ? saved.code : '', text: typeof saved.text === 'string' ? saved.text : '' };
  let current = null;
${WEBVIEW_EL_HELPER}
  function button(text, id, cls, onClick) {
    const b = el('button', text, cls);
    b.id = id;
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  function table(head, rows, id) {
    const t = el('table');
    if (id) t.id = id;
    const tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    const thead = el('thead'); thead.appendChild(tr); t.appendChild(thead);
    const tb = el('tbody');
    rows.forEach(function (r) { tb.appendChild(r); });
    t.appendChild(tb);
    return t;
  }
  function cell(text, cls) { return el('td', text === undefined ? '' : text, cls); }
  function fold(t) { return String(t || '').normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase(); }
  function save() { vscode.setState(filter); }
  function headlineOf(s) {
    const t = s.summary;
    const parts = [];
    [['created', t.created], ['updated', t.updated], ['disabled', t.disabled], ['deleted', t.deleted], ['other', t.other], ['skipped', t.skipped]].forEach(function (p) { if (p[1]) parts.push(p[1] + ' ' + p[0]); });
    parts.push(t.failed + ' failed');
    if (t.pending) parts.push(t.pending + ' pending');
    if (t.notSent) parts.push(t.notSent + ' not sent');
    return parts.join(' · ');
  }
  function render(s) {
    current = s;
    root.textContent = '';
    root.appendChild(el('h2', 'Test upload to ' + s.host));
    const scim = s.target === 'scim';
    root.appendChild(el('div', 'Profile ' + s.profile + (scim ? ' · SCIM ' + s.endpoint : ' · job ' + s.jobId) + ' · started ' + new Date(s.startedAt).toLocaleString() + ' · ' + (s.durationMs / 1000).toFixed(1) + ' s', 'detail'));
    // The headline is what Entra did; green only when nothing failed (and nothing is still pending).
    const t = s.summary;
    const head = el('div', undefined, 'headline ' + (t.failed || t.notSent ? 'bad' : t.pending ? 'open' : 'good'));
    head.id = 'headline';
    head.dataset.failed = String(t.failed);
    head.dataset.pending = String(t.pending);
    head.appendChild(el('span', s.headlineText || headlineOf(s)));
    head.appendChild(document.createTextNode(' '));
    head.appendChild(el('span', '— ' + t.accepted + ' of ' + t.records + (scim ? ' operations accepted by the server' : ' accepted by the API'), 'accepted-count'));
    root.appendChild(head);
    const u = s.totals;
    const totals = el('div', undefined, 'totals detail');
    totals.id = 'totals';
    totals.appendChild(el('span', 'Upload: ' + (u.accepted + u.previouslyAccepted) + ' accepted', 'accepted'));
    totals.appendChild(el('span', u.failed + ' failed', u.failed ? 'failed' : ''));
    totals.appendChild(el('span', u.notSent + ' not sent', 'not-sent'));
    if (u.retried) totals.appendChild(el('span', u.retried + ' retried call(s)'));
    root.appendChild(totals);
    if (s.stopped) root.appendChild(el('p', 'Stopped: ' + s.stopped, 'failed'));

    const failedCount = t.failed;
    const bar = el('div', undefined, 'toolbar');
    const resend = button('Resend ' + failedCount + ' failed…', 'resend', '', function () { vscode.postMessage({ type: 'resendFailed' }); });
    if (!failedCount || !s.mappingUri) resend.disabled = true;
    resend.title = s.mappingUri ? 'Send the failed records again (after fixing the mapping or the data), through the same confirmation' : 'The mapping of this run is unknown';
    bar.appendChild(resend);
    bar.appendChild(button('Export CSV…', 'export-csv', 'secondary', function () { vscode.postMessage({ type: 'export', format: 'csv' }); }));
    bar.appendChild(button('Export JSON…', 'export-json', 'secondary', function () { vscode.postMessage({ type: 'export', format: 'json' }); }));
    root.appendChild(bar);

    const poll = el('div', undefined, 'notice');
    poll.id = 'poll';
    poll.appendChild(el('span', s.poll.message + (s.poll.total ? ' (' + s.poll.found + ' of ' + s.poll.total + ' logged' + (s.poll.lastPolledAt ? ', last checked ' + new Date(s.poll.lastPolledAt).toLocaleTimeString() : '') + ')' : '') + ' '));
    if (!scim) poll.appendChild(button('Check provisioning logs now', 'refresh', 'secondary', function () { vscode.postMessage({ type: 'poll' }); }));
    root.appendChild(poll);
    if (s.notice) root.appendChild(el('p', s.notice, 'notice'));

    if (t.byActionStatus.length || t.byCode.length) root.appendChild(el('h3', 'Totals'));
    if (t.byActionStatus.length) {
      root.appendChild(table(['Action', 'Status', scim ? 'Operations' : 'Records'], t.byActionStatus.map(function (p) {
        const tr = el('tr'); tr.className = 'action-total'; tr.dataset.action = p.action; tr.dataset.status = p.status;
        // 'upload' is the shared rows' "refused by the API"; for SCIM it is simply a failed operation.
        tr.appendChild(cell(scim && p.action === 'upload' ? 'failed operation' : p.action)); tr.appendChild(cell(p.status, p.status)); tr.appendChild(cell(p.count, 'num'));
        return tr;
      }), 'by-action'));
    }
    if (t.byCode.length) {
      root.appendChild(table(['Error code', scim ? 'Operations' : 'Records', scim ? "The server's detail (first operation)" : "Entra's reason (first record)", 'Recommended action', ''], t.byCode.map(function (c) {
        const tr = el('tr'); tr.className = 'code-total'; tr.dataset.code = c.code;
        tr.appendChild(cell(c.code, 'failed'));
        tr.appendChild(cell(c.count, 'num'));
        tr.appendChild(cell(c.reason, 'detail'));
        tr.appendChild(cell(c.recommendedAction, 'detail'));
        const td = el('td');
        const b = el('button', 'Show', 'link');
        b.type = 'button';
        b.dataset.filterCode = c.code;
        b.addEventListener('click', function () { filter.code = c.code; filter.failedOnly = false; save(); render(current); });
        td.appendChild(b);
        tr.appendChild(td);
        return tr;
      }), 'by-code'));
    }

    root.appendChild(el('h2', 'Records'));
    const f = el('div', undefined, 'filters');
    const only = el('label');
    const box = document.createElement('input');
    box.type = 'checkbox'; box.id = 'failed-only'; box.checked = filter.failedOnly;
    box.addEventListener('change', function () { filter.failedOnly = box.checked; save(); render(current); });
    only.appendChild(box); only.appendChild(document.createTextNode(' Failed only'));
    f.appendChild(only);
    const sel = document.createElement('select');
    sel.id = 'code-filter';
    sel.setAttribute('aria-label', 'Error code');
    const any = el('option', 'Any code'); any.value = ''; sel.appendChild(any);
    t.byCode.forEach(function (c) { const o = el('option', c.code + ' (' + c.count + ')'); o.value = c.code; sel.appendChild(o); });
    sel.value = filter.code;
    sel.addEventListener('change', function () { filter.code = sel.value; save(); render(current); });
    f.appendChild(sel);
    const q = document.createElement('input');
    q.type = 'search'; q.id = 'text-filter'; q.placeholder = 'Filter by externalId, name, code or reason'; q.value = filter.text;
    q.setAttribute('aria-label', 'Filter records by text');
    q.addEventListener('input', function () { filter.text = q.value; save(); renderRows(); q.focus(); });
    f.appendChild(q);
    root.appendChild(f);
    const count = el('div', '', 'detail'); count.id = 'row-count';
    root.appendChild(count);
    const holder = el('div'); holder.id = 'rows';
    root.appendChild(holder);
    renderRows();
  }
  function renderRows() {
    const s = current;
    const holder = document.getElementById('rows');
    holder.textContent = '';
    const q = fold(filter.text.trim());
    const rows = s.rows.filter(function (r) {
      if (filter.failedOnly && r.outcome !== 'failed') return false;
      if (filter.code && r.code !== filter.code) return false;
      if (q && ![r.externalId, r.label, r.code, r.reason, r.outcome, r.action, r.serverId, r.scimType].some(function (v) { return fold(v).includes(q); })) return false;
      return true;
    });
    const unit = s.target === 'scim' ? ' operations' : ' records';
    document.getElementById('row-count').textContent = rows.length === s.rows.length ? s.rows.length + unit : rows.length + ' of ' + s.rows.length + unit;
    // Grouped by reason (error code): the reason and the recommended action once per group, failures first.
    const groups = new Map();
    rows.forEach(function (r) {
      // SCIM: accepted operations grouped by the server's answer (created, unchanged, linked …).
      const byAction = s.target === 'scim' && !r.code && r.outcome !== 'not-sent';
      const key = r.code ? 'code:' + r.code : byAction ? 'action:' + r.action : 'outcome:' + r.outcome;
      if (!groups.has(key)) groups.set(key, { code: r.code, outcome: r.outcome, label: byAction ? r.action : undefined, reason: r.reason, recommendedAction: r.recommendedAction, rows: [] });
      groups.get(key).rows.push(r);
    });
    const order = ['failed', 'not-sent', 'pending', 'skipped', 'disabled', 'deleted', 'other', 'updated', 'created'];
    const list = Array.from(groups.values()).sort(function (a, b) { return order.indexOf(a.outcome) - order.indexOf(b.outcome) || b.rows.length - a.rows.length; });
    const trs = [];
    list.forEach(function (g) {
      const gr = el('tr', undefined, 'group'); gr.dataset.group = g.code || g.label || g.outcome;
      const td = el('td'); td.colSpan = s.target === 'scim' ? 10 : 7;
      td.appendChild(el('span', (g.code || g.label || g.outcome) + ' · ' + g.rows.length + (s.target === 'scim' ? ' operation' : ' record') + (g.rows.length === 1 ? '' : 's'), g.code ? 'failed' : g.outcome));
      if (g.reason) td.appendChild(el('div', g.reason, 'detail'));
      if (g.recommendedAction) td.appendChild(el('div', 'Recommended: ' + g.recommendedAction, 'detail'));
      gr.appendChild(td);
      trs.push(gr);
      g.rows.forEach(function (r) {
        const tr = el('tr'); tr.className = 'record-row'; tr.dataset.status = r.upload; tr.dataset.externalId = r.externalId; tr.dataset.outcome = r.outcome;
        if (r.logged) tr.dataset.provisioning = r.status || '';
        if (r.code) tr.dataset.code = r.code;
        if (r.reason) tr.title = r.reason;
        tr.appendChild(cell(r.ordinal + 1));
        tr.appendChild(cell(r.externalId));
        tr.appendChild(cell(r.label));
        if (s.target === 'scim') {
          // What the server answered: untrusted text, written as text like everything else.
          tr.dataset.operation = r.link ? 'manager' : 'user';
          if (r.action && r.action !== 'upload') tr.dataset.action = r.action;
          if (r.serverId) tr.dataset.serverId = r.serverId;
          if (r.httpStatus) tr.dataset.httpStatus = String(r.httpStatus);
          tr.appendChild(cell(r.link ? 'manager link' : 'user'));
          tr.appendChild(cell(r.upload + (r.previouslyAccepted ? ' (earlier run)' : ''), r.upload));
          tr.appendChild(cell(r.action === 'upload' ? '' : r.action, r.outcome === 'failed' ? 'failed' : ''));
          tr.appendChild(cell(r.httpStatus ? String(r.httpStatus) : '', 'num'));
          tr.appendChild(cell(r.serverId || '', 'server-id'));
          tr.appendChild(cell([r.scimType, r.outcome === 'failed' ? r.reason : ''].filter(Boolean).join(': '), r.outcome === 'failed' ? 'failed detail' : 'detail'));
        } else {
          tr.appendChild(cell(r.upload + (r.previouslyAccepted ? ' (earlier run)' : ''), r.upload));
          tr.appendChild(cell(r.outcome, r.outcome));
          tr.appendChild(cell(r.action === 'upload' ? '' : r.action));
        }
        const link = el('td');
        if (s.mappingUri) {
          const b = el('button', 'HR record', 'link');
          b.type = 'button';
          b.title = 'Show this record in the preview';
          b.dataset.reveal = r.externalId;
          b.addEventListener('click', function () { vscode.postMessage({ type: 'reveal', externalId: r.externalId }); });
          link.appendChild(b);
        }
        tr.appendChild(link);
        trs.push(tr);
      });
    });
    const head = s.target === 'scim'
      ? ['#', 'externalId', 'Record', 'Operation', 'Upload', 'Action', 'HTTP', 'Server id', 'scimType: detail', '']
      : ['#', 'externalId', 'Record', 'Upload', 'Outcome', 'Action', ''];
    holder.appendChild(table(head, trs, 'records'));
  }
  window.addEventListener('message', function (ev) {
    const m = ev.data;
    if (m && m.type === 'state') render(m.state);
  });
  vscode.postMessage({ type: 'ready' });
})();`;
