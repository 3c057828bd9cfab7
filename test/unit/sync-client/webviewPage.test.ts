/** The shared webview page shell (client/src/webviewPage.ts) used by the Sync plan and upload results views. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { webviewPage, WEBVIEW_EL_HELPER } from '../../../client/src/webviewPage';
import { planHtml } from '../../../client/src/sync/planModel';
import { resultsHtml } from '../../../client/src/upload/resultsModel';

const nonce = 'abcdefghijklmnop1234';
const base = { nonce, cspSource: 'vscode-resource:', title: 'T', css: 'p { color: red; }', loading: 'Wait…', script: 'run();' };

describe('webviewPage', () => {
  it('allows only the nonce’d style and script', () => {
    const html = webviewPage(base);
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.equal(csp, `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src vscode-resource:; font-src vscode-resource:`);
    assert.ok(html.includes(`<style nonce="${nonce}">\np { color: red; }\n</style>`));
    assert.ok(html.includes(`<script nonce="${nonce}">\nrun();\n</script>`));
    assert.ok(html.includes('<title>T</title>'));
    assert.ok(html.includes('<div id="root"><p class="notice">Wait…</p></div>'));
  });

  it('refuses a nonce that could break out of the CSP', () => {
    for (const bad of ['short', `${nonce}'; script-src *`, `${nonce}"`, '']) {
      assert.throws(() => webviewPage({ ...base, nonce: bad }), /nonce must be 16\+ alphanumerics/);
    }
  });

  it('gives both views the same text-only el() helper', () => {
    assert.match(WEBVIEW_EL_HELPER, /textContent = String\(text\)/);
    assert.doesNotMatch(WEBVIEW_EL_HELPER, /innerHTML/);
    for (const html of [planHtml(nonce, 'x'), resultsHtml(nonce, 'x')]) {
      assert.equal(html.split(WEBVIEW_EL_HELPER).length, 2, 'the helper appears once in each page');
      assert.doesNotMatch(html, /\$\{WEBVIEW_EL_HELPER\}/);
    }
    assert.ok(planHtml(nonce, 'x').includes('<title>Sync plan</title>'));
    assert.ok(resultsHtml(nonce, 'x').includes('<title>Test upload results</title>'));
  });
});
