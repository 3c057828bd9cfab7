/**
 * The page shell shared by the script-driven webviews (Sync plan, upload results): a strict CSP that allows only
 * the nonce'd style and script, a "loading" notice the script replaces, and the one DOM helper every script uses.
 * Pure (no `vscode` import) so the shell is unit-tested without an editor.
 */

export interface WebviewPageOptions {
  /** 16+ alphanumerics; anything else is refused so it can never break out of the CSP or the attributes. */
  nonce: string;
  /** The webview's own origin, for images and fonts (the pages load none, but the CSP names it). */
  cspSource: string;
  title: string;
  /** Style sheet text (trusted: written in the extension, never from user data). */
  css: string;
  /** The notice shown until the script renders its first state. */
  loading: string;
  /** Script text (trusted) run inside the webview. */
  script: string;
}

/**
 * `el(tag, text, cls)` for webview scripts: every value goes through textContent, so nothing is parsed as HTML.
 * Indented for a script body at two spaces.
 */
export const WEBVIEW_EL_HELPER = String.raw`  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }`;

export function webviewPage(o: WebviewPageOptions): string {
  if (!/^[A-Za-z0-9]{16,}$/.test(o.nonce)) throw new Error('nonce must be 16+ alphanumerics');
  const nonce = o.nonce;
  const csp = [`default-src 'none'`, `style-src 'nonce-${nonce}'`, `script-src 'nonce-${nonce}'`, `img-src ${o.cspSource}`, `font-src ${o.cspSource}`].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${o.title}</title>
<style nonce="${nonce}">
${o.css}
</style>
</head>
<body>
<div id="root"><p class="notice">${o.loading}</p></div>
<script nonce="${nonce}">
${o.script}
</script>
</body>
</html>`;
}
