/**
 * What the Sync Plan view shows, built from a sync run (a dry run for "Plan Sync…", the real one for "Run Sync"),
 * and the confirmation text. Pure (no vscode): tested in test/unit/sync-client. The page builds its DOM with
 * textContent only: externalIds and error messages come from HR data.
 */
import { CLASS_NAMES, type GuardVerdict, type PlanClass, type SyncDestination, type SyncPlan, type SyncRunResult } from '../../../src/sync';
import { webviewPage, WEBVIEW_EL_HELPER } from '../webviewPage';

/** externalIds listed per class in the view (the counts are always complete). */
export const IDS_PER_CLASS = 200;

export interface PlanViewState {
  kind: 'plan' | 'result';
  destination: SyncDestination;
  host: string;
  endpoint: string;
  jobId: string;
  signInHost: string;
  profile: string;
  mapping: string;
  input: string;
  statePath: string;
  exportRecords?: number;
  stateEntries?: number;
  stateActive?: number;
  missing?: 'disable' | 'ignore';
  classes: Array<{ name: PlanClass; count: number; ids: string[] }>;
  missingIgnored: number;
  failures: Array<{ record: number; externalId?: string; message: string }>;
  guards: GuardVerdict[];
  refused: boolean;
  disablesHeld: boolean;
  sent?: { accepted: number; failed: number; notSent: number; calls: number; stopped?: string };
  /** Run Sync: one row per operation (first OPERATION_ROWS; failures first), as the target reported it. */
  operations: OperationRow[];
  /** Rows left off `operations`. */
  operationsOmitted: number;
  at: string;
}

export const OPERATION_ROWS = 500;

export interface OperationRow {
  /** The externalId (or, for a record without one, its bulkId). */
  id: string;
  /** A manager link set in the second pass (SCIM). */
  link: boolean;
  status: string;
  /** What the server did, where the target says (SCIM: created, updated, unchanged, linked, deactivated). */
  action?: string;
  httpStatus?: number;
  serverId?: string;
  message?: string;
}

/** Where a sync goes: an Entra bulkUpload endpoint (with its job) or a SCIM base URL. */
export interface PlanEndpoint {
  url: string;
  origin: string;
  /** Entra only. */
  jobId?: string;
  /** Entra's local stand-in, or a SCIM server on this machine. */
  loopback?: boolean;
  warnings?: readonly string[];
}

export interface PlanContext {
  destination: SyncDestination;
  endpoint: PlanEndpoint;
  signInHost: string;
  profile: string;
  mapping: string;
  input: string;
}

export function planViewState(r: SyncRunResult, ctx: PlanContext, kind: 'plan' | 'result'): PlanViewState {
  const p: SyncPlan | undefined = r.plan;
  const t = r.summary?.totals;
  return {
    kind,
    destination: ctx.destination,
    host: new URL(ctx.endpoint.origin).host,
    endpoint: ctx.endpoint.url,
    jobId: ctx.endpoint.jobId ?? '',
    signInHost: hostOf(ctx.signInHost),
    profile: ctx.profile,
    mapping: ctx.mapping,
    input: ctx.input,
    statePath: r.statePath,
    exportRecords: p?.exportRecords,
    stateEntries: p?.stateEntries,
    stateActive: p?.stateActive,
    missing: p?.missing,
    classes: CLASS_NAMES.map((name) => ({ name, count: p?.counts[name] ?? 0, ids: (p?.ids[name] ?? []).slice(0, IDS_PER_CLASS) })),
    missingIgnored: p?.counts.missingIgnored ?? 0,
    failures: (p?.failures ?? []).slice(0, 50).map((f) => ({ record: f.record, externalId: f.externalId, message: f.errors.map((e) => `${e.attribute ? `${e.attribute}: ` : ''}${e.message}`).join('; ') })),
    guards: r.verdicts,
    refused: r.refused,
    disablesHeld: r.disablesHeld,
    sent: t && { accepted: t.accepted, failed: t.failed, notSent: t.notSent, calls: t.calls, stopped: r.summary?.stopped?.message },
    ...operationRows(r),
    at: new Date().toISOString(),
  };
}

/** The run's outcomes per operation, those not accepted first (a long run lists its first OPERATION_ROWS). */
export function operationRows(r: Pick<SyncRunResult, 'summary'>): { operations: OperationRow[]; operationsOmitted: number } {
  const records = r.summary?.records ?? [];
  const rows = records.map((x): OperationRow => ({
    id: x.externalId ?? x.bulkId.replace(/:manager$/, ''),
    link: x.bulkId.endsWith(':manager'),
    status: x.status,
    action: x.action,
    httpStatus: x.httpStatus,
    serverId: x.serverId,
    message: [x.errorCode, x.errorMessage].filter(Boolean).join(': ') || undefined,
  }));
  const bad = rows.filter((x) => x.status !== 'accepted');
  const ordered = [...bad, ...rows.filter((x) => x.status === 'accepted')];
  return { operations: ordered.slice(0, OPERATION_ROWS), operationsOmitted: Math.max(0, ordered.length - OPERATION_ROWS) };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function countsLine(classes: PlanViewState['classes']): string {
  return classes.map((c) => `${c.name} ${c.count}`).join(' · ');
}

/**
 * The modal before Run Sync sends: where to, who signs in, and how many of each. For SCIM, `path` says how the
 * records go (from discovery) and `warnings` are the server findings that do not refuse.
 */
export function syncConfirmation(plan: SyncPlan, ctx: PlanContext & { signIn: string; statePath: string; path?: string; warnings?: readonly string[] }): { message: string; detail: string } {
  const e = ctx.endpoint;
  const scim = ctx.destination === 'scim';
  const host = new URL(e.origin).host;
  const c = plan.counts;
  const sends = c.create + c.update + c.reactivate + c.disable;
  const where = scim ? ` (SCIM${e.loopback ? ', on this machine' : ''})` : e.loopback ? ' (local stand-in)' : '';
  const message = `Sync ${ctx.mapping} to ${host}${where}: ${sends} operation${sends === 1 ? '' : 's'}, ${c.disable} disable${c.disable === 1 ? '' : 's'}?`;
  const lines = scim
    ? [`SCIM base URL: ${e.url}`, `Sign-in: ${ctx.signIn}`]
    : [`Endpoint: ${e.url}`, `Job: ${e.jobId ?? ''}`, `Sign-in host: ${hostOf(ctx.signInHost)} (${ctx.signIn})`];
  if (scim && ctx.path) lines.push(`Sending: ${ctx.path}`);
  lines.push(
    `Create ${c.create} · update ${c.update} · reactivate ${c.reactivate} · disable ${c.disable} · unchanged (not sent) ${c.unchanged} · failing the mapping (not sent) ${c.failed}`,
    `Export: ${ctx.input} (${plan.exportRecords} records)`,
    `State: ${ctx.statePath}`,
    `Profile: ${ctx.profile}`,
  );
  if (c.missingIgnored) lines.push(`Absent from the export but left alone (sync.missing: ignore): ${c.missingIgnored}`);
  for (const w of [...(e.warnings ?? []), ...(ctx.warnings ?? [])]) lines.push(`Warning: ${w}`);
  if (c.disable) {
    const how = scim ? 'deactivated on the server (PATCH active: false, PUT where PATCH is unsupported)' : 'disabled (active: false)';
    lines.push('', `${c.disable} account${c.disable === 1 ? '' : 's'} will be ${how} because HR no longer lists them.`);
  }
  return { message, detail: lines.join('\n') };
}

export function planHtml(nonce: string, cspSource: string): string {
  return webviewPage({ nonce, cspSource, title: 'Sync plan', css: PLAN_CSS, loading: 'Planning…', script: PLAN_SCRIPT });
}

const PLAN_CSS = `body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
h2 { font-size: 1.2em; margin: 14px 0 6px; }
h3 { font-size: 1.05em; margin: 12px 0 4px; }
table { border-collapse: collapse; margin-bottom: 12px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--vscode-panel-border, #8884); vertical-align: top; }
.detail, .notice { color: var(--vscode-descriptionForeground); }
.ids { font-family: var(--vscode-editor-font-family); white-space: pre-wrap; word-break: break-all; }
.pass { color: var(--vscode-testing-iconPassed, #3a3); }
.refuse { color: var(--vscode-errorForeground, #e44); font-weight: 600; }
.hold { color: var(--vscode-editorWarning-foreground, #c80); }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 10px; cursor: pointer; margin: 8px 8px 0 0; }
button:hover { background: var(--vscode-button-hoverBackground); }
button:disabled { opacity: 0.5; cursor: default; }`;

// Runs inside the webview. Every value goes through textContent; nothing is parsed as HTML.
const PLAN_SCRIPT = String.raw`(function () {
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
${WEBVIEW_EL_HELPER}
  function render(s) {
    root.textContent = '';
    root.appendChild(el('h2', (s.kind === 'plan' ? 'Sync plan: ' : 'Sync run: ') + s.mapping + ' → ' + s.host));
    root.appendChild(el('div', 'Endpoint ' + s.endpoint, 'detail'));
    root.appendChild(el('div', 'Sign-in host ' + s.signInHost + ' · profile ' + s.profile + (s.destination === 'scim' ? ' · SCIM service provider' : ' · job ' + s.jobId), 'detail'));
    root.appendChild(el('div', 'Export ' + s.input + (s.exportRecords !== undefined ? ' (' + s.exportRecords + ' records)' : ''), 'detail'));
    root.appendChild(el('div', 'State ' + s.statePath + (s.stateEntries !== undefined ? ' (' + s.stateEntries + ' ids, ' + s.stateActive + ' active)' : ''), 'detail'));

    root.appendChild(el('h3', 'Guards'));
    const g = el('table');
    g.id = 'guards';
    s.guards.forEach(function (v) {
      const tr = el('tr');
      tr.className = 'guard-row';
      tr.setAttribute('data-guard', v.guard);
      tr.setAttribute('data-verdict', v.verdict);
      tr.appendChild(el('td', v.verdict, v.verdict));
      tr.appendChild(el('td', v.guard));
      tr.appendChild(el('td', v.message + (v.verdict !== 'pass' && v.override ? ' — to override: ' + v.override : '')));
      g.appendChild(tr);
    });
    root.appendChild(g);

    root.appendChild(el('h3', 'Plan'));
    const t = el('table');
    t.id = 'classes';
    const head = el('tr');
    ['Class', 'Count', 'externalIds'].forEach(function (h) { head.appendChild(el('th', h)); });
    t.appendChild(head);
    s.classes.forEach(function (c) {
      const tr = el('tr');
      tr.className = 'class-row';
      tr.setAttribute('data-class', c.name);
      tr.setAttribute('data-count', String(c.count));
      tr.appendChild(el('td', c.name));
      tr.appendChild(el('td', c.count));
      const more = c.count > c.ids.length && c.name !== 'failed' ? ' … (+' + (c.count - c.ids.length) + ')' : '';
      tr.appendChild(el('td', c.ids.join(', ') + more, 'ids'));
      t.appendChild(tr);
    });
    root.appendChild(t);
    if (s.missingIgnored) root.appendChild(el('p', s.missingIgnored + ' absent from the export but left alone (sync.missing: ignore)', 'notice'));
    if (s.failures.length) {
      root.appendChild(el('h3', 'Records failing the mapping (never sent, never disabled)'));
      const f = el('table');
      s.failures.forEach(function (x) {
        const tr = el('tr');
        tr.className = 'failure-row';
        tr.appendChild(el('td', 'record ' + x.record + (x.externalId ? ' (' + x.externalId + ')' : '')));
        tr.appendChild(el('td', x.message));
        f.appendChild(tr);
      });
      root.appendChild(f);
    }
    if (s.sent) {
      root.appendChild(el('h3', 'Sent'));
      const p = el('p', s.sent.accepted + ' accepted, ' + s.sent.failed + ' failed, ' + s.sent.notSent + ' not sent in ' + s.sent.calls + ' call(s)' + (s.sent.stopped ? ' — stopped: ' + s.sent.stopped : ''));
      p.id = 'sent';
      root.appendChild(p);
      if (s.operations.length) {
        const o = el('table');
        o.id = 'operations';
        const oh = el('tr');
        ['externalId', 'Operation', 'Status', 'Server', 'HTTP', 'Detail'].forEach(function (h) { oh.appendChild(el('th', h)); });
        o.appendChild(oh);
        s.operations.forEach(function (x) {
          const tr = el('tr');
          tr.className = 'operation-row';
          tr.setAttribute('data-external-id', x.id);
          tr.setAttribute('data-status', x.status);
          tr.setAttribute('data-action', x.action || '');
          tr.appendChild(el('td', x.id, 'ids'));
          tr.appendChild(el('td', (x.link ? 'manager link' : 'user') + (x.action ? ' · ' + x.action : '')));
          tr.appendChild(el('td', x.status, x.status === 'accepted' ? 'pass' : 'refuse'));
          tr.appendChild(el('td', x.serverId || '', 'ids'));
          tr.appendChild(el('td', x.httpStatus ? String(x.httpStatus) : ''));
          tr.appendChild(el('td', x.message || ''));
          o.appendChild(tr);
        });
        root.appendChild(o);
        if (s.operationsOmitted) root.appendChild(el('p', '… and ' + s.operationsOmitted + ' more operation(s) not shown (those not accepted are listed first)', 'notice'));
      }
    }
    if (s.kind === 'plan') {
      const b = el('button', 'Run Sync…');
      b.id = 'run';
      b.disabled = !!s.refused;
      b.addEventListener('click', function () { vscode.postMessage({ type: 'run' }); });
      root.appendChild(b);
      if (s.refused) {
        const byServer = s.guards.some(function (v) { return v.verdict === 'refuse' && v.guard === 'server'; });
        root.appendChild(el('p', byServer
          ? 'Refused by a guard: the server cannot take this mapping, nothing was sent. Change the mapping (see the server guard above).'
          : 'Refused by a guard: Run Sync would send nothing. Check the export; overrides are on the command line (scimmap sync --max-disable / --min-records).', 'refuse'));
      }
    }
    const r = el('button', 'Plan Again');
    r.id = 'replan';
    r.addEventListener('click', function () { vscode.postMessage({ type: 'replan' }); });
    root.appendChild(r);
  }
  window.addEventListener('message', function (e) {
    if (e.data && e.data.type === 'state') render(e.data.state);
  });
  vscode.postMessage({ type: 'ready' });
})();`;
