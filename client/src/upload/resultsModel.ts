/**
 * The results view's data and page. Pure: no `vscode` import.
 *
 * The page is a fixed shell (strict CSP, one nonce'd script, no remote loads); the data arrives by postMessage and the
 * script writes it with textContent only, so HR values such as `<img onerror=…>` show as text and never run.
 */
import type { ProvisioningOutcome } from '../../../src/targets/entra/upload/results';
import type { BatchStatus, RecordStatus, UploadSummary, UploadTotals } from '../../../src/targets/entra/upload/types';

/** What the page shows of Entra's outcome for one record (the outcome's fields, minus ids and dates). */
export type ProvisioningCell = Pick<ProvisioningOutcome, 'found' | 'action' | 'status' | 'errorCode' | 'reason' | 'recommendedAction'>;

export interface RecordRow {
  ordinal: number;
  externalId: string;
  label: string;
  batch: number;
  status: RecordStatus;
  error?: string;
  previouslyAccepted?: boolean;
  provisioning?: ProvisioningCell;
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
}

export function buildResultsState(
  summary: UploadSummary,
  meta: { runId: string; profile: string; host: string; jobId: string; labels: Record<string, string>; notice: string },
): ResultsState {
  const records: RecordRow[] = summary.records.map((r) => ({
    ordinal: r.ordinal,
    externalId: r.externalId ?? r.bulkId,
    label: meta.labels[r.externalId ?? r.bulkId] ?? r.externalId ?? r.bulkId,
    batch: r.batch,
    status: r.status,
    error: r.status === 'accepted' ? undefined : [r.errorCode, r.errorMessage].filter(Boolean).join(': ') || undefined,
    previouslyAccepted: r.previouslyAccepted,
  }));
  const accepted = records.filter((r) => r.status === 'accepted').length;
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
    poll: { state: accepted ? 'not-started' : 'stopped', message: accepted ? 'Waiting for the provisioning logs.' : 'No record was accepted; nothing to look up.', found: 0, total: accepted },
    notice: meta.notice,
  };
}

/** Merges polled outcomes into the rows (by externalId); a later poll only ever adds or refreshes entries. */
export function applyOutcomes(state: ResultsState, outcomes: readonly ProvisioningOutcome[]): ResultsState {
  const by = new Map(outcomes.map((o) => [o.externalId, o]));
  const records = state.records.map((r) => {
    const o = by.get(r.externalId);
    if (!o || (!o.found && r.provisioning?.found)) return r;
    const cell: ProvisioningCell = o.found
      ? { found: true, action: o.action, status: o.status, errorCode: o.errorCode, reason: o.reason, recommendedAction: o.recommendedAction }
      : { found: false };
    return { ...r, provisioning: cell };
  });
  const total = records.filter((r) => r.status === 'accepted').length;
  const found = records.filter((r) => r.status === 'accepted' && r.provisioning?.found).length;
  return { ...state, records, poll: { ...state.poll, found, total } };
}

/** The accepted records that still have no provisioning-log entry. */
export function pendingExternalIds(state: ResultsState): string[] {
  return state.records.filter((r) => r.status === 'accepted' && !r.provisioning?.found).map((r) => r.externalId);
}

export function acceptedExternalIds(state: ResultsState): string[] {
  return state.records.filter((r) => r.status === 'accepted').map((r) => r.externalId);
}

/** The page shell. `cspSource` is the webview's own origin (for nothing but completeness: the page loads no files). */
export function resultsHtml(nonce: string, cspSource: string): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(nonce)) throw new Error('nonce must be 16+ alphanumerics');
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `img-src ${cspSource}`, `font-src ${cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Test upload results</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h2 { font-size: 1.2em; margin: 14px 0 6px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 12px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
th { font-weight: 600; }
.totals span { margin-right: 14px; }
.accepted, .success { color: var(--vscode-testing-iconPassed, #3a3); }
.failed, .failure { color: var(--vscode-errorForeground, #e44); }
.not-sent, .in-doubt, .warning, .skipped, .pending { color: var(--vscode-descriptionForeground, #888); }
.notice { color: var(--vscode-descriptionForeground); margin: 6px 0; }
.detail { color: var(--vscode-descriptionForeground); white-space: pre-wrap; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; cursor: pointer; }
button:hover { background: var(--vscode-button-hoverBackground); }
</style>
</head>
<body>
<div id="root"><p class="notice">Loading…</p></div>
<script nonce="${nonce}">
${WEBVIEW_SCRIPT}
</script>
</body>
</html>`;
}

// Runs inside the webview. Every value goes through textContent; nothing is parsed as HTML.
const WEBVIEW_SCRIPT = String.raw`(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function table(head, rows) {
    const t = el('table');
    const tr = el('tr');
    head.forEach(function (h) { tr.appendChild(el('th', h)); });
    const thead = el('thead'); thead.appendChild(tr); t.appendChild(thead);
    const tb = el('tbody');
    rows.forEach(function (r) { tb.appendChild(r); });
    t.appendChild(tb);
    return t;
  }
  function cell(text, cls) { return el('td', text === undefined ? '' : text, cls); }
  function render(s) {
    root.textContent = '';
    root.appendChild(el('h2', 'Test upload to ' + s.host));
    const meta = el('div', 'Profile ' + s.profile + ' · job ' + s.jobId + ' · started ' + new Date(s.startedAt).toLocaleString() + ' · ' + (s.durationMs / 1000).toFixed(1) + ' s', 'detail');
    root.appendChild(meta);
    const t = s.totals;
    const totals = el('div', undefined, 'totals');
    totals.id = 'totals';
    [['accepted', t.accepted + t.previouslyAccepted], ['failed', t.failed], ['not-sent', t.notSent]].forEach(function (p) {
      totals.appendChild(el('span', p[1] + ' ' + p[0].replace('-', ' '), p[0]));
    });
    if (t.retried) totals.appendChild(el('span', t.retried + ' retried call(s)'));
    root.appendChild(totals);
    if (s.stopped) root.appendChild(el('p', 'Stopped: ' + s.stopped, 'failed'));

    root.appendChild(el('h2', 'Requests'));
    root.appendChild(table(['#', 'Records', 'Status', 'HTTP', 'Attempts', 'Request id', 'Error'], s.batches.map(function (b) {
      const tr = el('tr'); tr.className = 'batch-row'; tr.dataset.status = b.status;
      [b.seq + 1, b.operations].forEach(function (v) { tr.appendChild(cell(v)); });
      tr.appendChild(cell(b.status, b.status));
      [b.httpStatus, b.attempts, b.requestId, b.error].forEach(function (v) { tr.appendChild(cell(v)); });
      return tr;
    })));

    root.appendChild(el('h2', 'Records'));
    const poll = el('div', undefined, 'notice');
    poll.id = 'poll';
    poll.appendChild(el('span', s.poll.message + (s.poll.total ? ' (' + s.poll.found + ' of ' + s.poll.total + ' logged' + (s.poll.lastPolledAt ? ', last checked ' + new Date(s.poll.lastPolledAt).toLocaleTimeString() : '') + ')' : '') + ' '));
    const refresh = el('button', 'Check provisioning logs now');
    refresh.id = 'refresh';
    refresh.addEventListener('click', function () { vscode.postMessage({ type: 'poll' }); });
    poll.appendChild(refresh);
    root.appendChild(poll);
    root.appendChild(el('p', s.notice, 'notice'));
    root.appendChild(table(['#', 'externalId', 'Record', 'Upload', 'Action', 'Provisioning', 'Error code', 'Reason', 'Recommended action'], s.records.map(function (r) {
      const tr = el('tr'); tr.className = 'record-row'; tr.dataset.status = r.status; tr.dataset.externalId = r.externalId;
      const p = r.provisioning;
      if (p && p.found) tr.dataset.provisioning = p.status || '';
      tr.appendChild(cell(r.ordinal + 1));
      tr.appendChild(cell(r.externalId));
      tr.appendChild(cell(r.label));
      tr.appendChild(cell(r.status + (r.previouslyAccepted ? ' (earlier run)' : '') + (r.error ? ' — ' + r.error : ''), r.status));
      if (r.status !== 'accepted') { for (let i = 0; i < 5; i++) tr.appendChild(cell('')); return tr; }
      if (!p || !p.found) { tr.appendChild(cell('')); tr.appendChild(cell('not logged yet', 'pending')); for (let i = 0; i < 3; i++) tr.appendChild(cell('')); return tr; }
      tr.appendChild(cell(p.action));
      tr.appendChild(cell(p.status, p.status));
      tr.appendChild(cell(p.errorCode));
      tr.appendChild(cell(p.reason, 'detail'));
      tr.appendChild(cell(p.recommendedAction, 'detail'));
      return tr;
    })));
  }
  window.addEventListener('message', function (ev) {
    const m = ev.data;
    if (m && m.type === 'state') render(m.state);
  });
  vscode.postMessage({ type: 'ready' });
})();`;
