// The preview's HTML shell. It holds no data: the script in media/preview.js fills it with textContent from the
// messages it receives, so HR values can never become markup. Everything loads from the extension (no remote
// resources) under a strict content security policy with a per-load nonce.
import { randomBytes } from 'node:crypto';

export interface PreviewHtmlOptions {
  /** webview.cspSource */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** The Entra user column (media/preview-entra.js, .css): optional so the shell works without it. */
  entraScriptUri?: string;
  entraStyleUri?: string;
  nonce?: string;
}

export const newNonce = (): string => randomBytes(18).toString('base64').replace(/[+/=]/g, '');

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Escapes a value for a double-quoted HTML attribute. */
export const attr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function previewHtml(o: PreviewHtmlOptions): string {
  const nonce = o.nonce ?? newNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(o.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}" nonce="${nonce}">
${o.entraStyleUri ? `<link rel="stylesheet" href="${attr(o.entraStyleUri)}" nonce="${nonce}">` : ''}
<title>SCIM Mapper Preview</title>
</head>
<body>
<header class="top">
  <div class="heading"><h1 id="title">SCIM Mapper Preview</h1><span id="subtitle" class="muted"></span></div>
  <div id="summary" class="summary" role="status" aria-live="polite"></div>
  <div class="tabs" role="tablist" aria-label="Preview views">
    <button type="button" role="tab" id="tab-record" aria-controls="panel-record" aria-selected="true">Records</button>
    <button type="button" role="tab" id="tab-bulk" aria-controls="panel-bulk" aria-selected="false" tabindex="-1">Bulk</button>
  </div>
</header>
<div id="message" class="message" role="alert" hidden></div>
<main>
  <section id="panel-record" class="panel record-panel" role="tabpanel" aria-labelledby="tab-record">
    <aside class="records">
      <input id="search" type="search" placeholder="Search every value" aria-label="Search every value of the HR records and payloads" autocomplete="off" spellcheck="false">
      <div class="filters">
        <label class="toggle"><input type="checkbox" id="failing-only"> Failing only</label>
        <span id="focus" class="focus" hidden><span id="focus-text"></span><button type="button" id="focus-clear" class="link" aria-label="Clear this filter">✕</button></span>
      </div>
      <div class="list-head"><span id="count" class="muted count" aria-live="polite"></span><button type="button" id="send" class="link" title="Send Test Upload with the records listed here (those that map without errors)">Send these records…</button></div>
      <div id="list" class="list" role="listbox" tabindex="0" aria-label="Sample records"><div id="spacer" class="spacer"></div></div>
    </aside>
    <section class="pane" aria-labelledby="hr-heading">
      <h2 id="hr-heading">HR record</h2>
      <div id="hr-tree" class="tree" tabindex="0" aria-label="HR record"></div>
    </section>
    <section class="pane" aria-labelledby="scim-heading">
      <h2 id="scim-heading">SCIM payload</h2>
      <div id="record-errors" class="record-errors"></div>
      <div id="scim-tree" class="tree" tabindex="0" aria-label="SCIM payload"></div>
    </section>
    <section id="entra-pane" class="pane entra-pane" aria-labelledby="entra-heading" hidden>
      <h2 id="entra-heading">Entra user</h2>
      <div id="entra-note" class="muted entra-note"></div>
      <div id="entra-tree" class="entra-tree" tabindex="0" aria-label="Entra user"></div>
    </section>
  </section>
  <section id="panel-bulk" class="panel bulk-panel" role="tabpanel" aria-labelledby="tab-bulk" hidden>
    <div class="bulk-head"><p id="bulk-summary"></p><button type="button" id="export">Export Bulk Requests…</button></div>
    <table id="bulk-table">
      <thead><tr><th scope="col">Request</th><th scope="col">Operations</th><th scope="col">First bulkId</th><th scope="col">Last bulkId</th></tr></thead>
      <tbody id="bulk-rows"></tbody>
    </table>
    <section id="bulk-detail" class="bulk-detail" hidden aria-labelledby="bulk-detail-title">
      <div class="bulk-detail-head"><h2 id="bulk-detail-title"></h2><button type="button" id="bulk-copy">Copy JSON</button><button type="button" id="bulk-close" class="link">Close</button></div>
      <pre id="bulk-json" class="tree" tabindex="0"></pre>
    </section>
  </section>
</main>
<script nonce="${nonce}" src="${attr(o.scriptUri)}"></script>
${o.entraScriptUri ? `<script nonce="${nonce}" src="${attr(o.entraScriptUri)}"></script>` : ''}
</body>
</html>`;
}
