/**
 * Markdown injection: untrusted names, descriptions, `let` text and sample values render as plain text or code
 * in hovers and completion documentation. Rendered with markdown-it (CommonMark + GFM-style linkify), the
 * output must hold no link, image or HTML that came from the input.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { doComplete, doHover, doSignatureHelp } from '../../../src/service/features';
import { nodeFileHost } from '../../../src/engine/analysis/host';
import { codeBlock, codeSpan, escapeMarkdown } from '../../../src/service/features/markdown';
import { at } from './cursor';
import { tempDir } from '../../tempDirs';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (opts: object) => { render(md: string): string };
const md = new MarkdownIt({ html: true, linkify: true });
const render = (s: string) => md.render(s);

const EVIL = [
  '![x](https://evil.example/beacon.png)',
  '[click](https://phish.example/login)',
  '<img src="https://evil.example/b.png">',
  '<a href="https://phish.example">x</a>',
  '<script>alert(1)</script>',
  'https://phish.example/bare-url',
  'www.phish.example',
  '[ref]: https://phish.example',
  '&lt;img&gt; &#x3C;',
  '``` \n![x](https://evil.example/a.png)\n```',
  '`` ` ![y](https://evil.example/c.png) ` ``',
  '# heading\n- item\n> quote',
];

/** Only the tags our own Markdown produces; no link, image, HTML or URL-bearing attribute from the input. */
const OURS = new Set(['p', 'strong', 'em', 'code', 'pre', 'ul', 'li']);
function assertInert(html: string, context: string, allowed = OURS): void {
  for (const m of html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)) assert.ok(allowed.has(m[1].toLowerCase()), `<${m[1]}> from ${context}\n${html}`);
  assert.doesNotMatch(html, /<[a-z][^>]*\b(src|href)=/i, `${context}\n${html}`);
}
/** Escaped text never makes block structure either (no heading, list or quote from a description). */
const TEXT_ONLY = new Set(['p', 'code', 'pre']);

describe('the markdown escaper', () => {
  it('escapes every construct: text, code spans and code blocks stay inert', () => {
    for (const e of EVIL) {
      assertInert(render(escapeMarkdown(e)), e, TEXT_ONLY);
      assertInert(render(`Examples: ${codeSpan(e)}`), e, TEXT_ONLY);
      assertInert(render(codeBlock(e, 'jsonata')), e, TEXT_ONLY);
    }
  });

  it('text renders back to exactly the input, code spans and blocks too', () => {
    const decode = (h: string) => h.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();
    for (const e of ['a_b_c *x* [y](z) `q` <b> & 1. #', '![x](https://evil.example/beacon.png)', 'back`tick``s']) {
      assert.equal(decode(render(escapeMarkdown(e))), e);
      assert.equal(decode(render(codeSpan(e))), e);
    }
    const block = 'x ~> ```\n```jsonata\n````';
    assert.equal(decode(render(codeBlock(block, 'jsonata'))), block);
  });

  it('a code span fence is longer than any backtick run inside', () => {
    assert.equal(codeSpan('a``b'), '```a``b```');
    assert.equal(codeSpan('`x`'), '`` `x` ``');
    assert.equal(codeSpan(''), '` `');
    assert.match(codeBlock('````\nx'), /^`````\n/);
  });
});

describe('hovers and completion documentation escape untrusted text', () => {
  const dir = tempDir('scimmap-md-');
  const URN = 'urn:ietf:params:scim:schemas:extension:evil:1.0:User';
  fs.writeFileSync(path.join(dir, 'evil.json'), JSON.stringify({
    id: URN, name: '![n](https://evil.example/name.png)', description: '[click](https://phish.example) <img src=https://evil.example/s.png>',
    attributes: [{ name: 'Badge', type: 'string', description: '![x](https://evil.example/beacon.png) <b>hi</b> https://phish.example', canonicalValues: ['`a` ![v](https://evil.example/v.png)'] }],
  }));
  const file = path.join(dir, 'm.scimmap.yaml');
  const head = `scimmap: 1\ntarget: entra\nextensions:\n  ${URN}: evil.json\n`;
  const header = '![h](https://evil.example/h.png)';
  const sample = [{ id: '1', [header]: '[click](https://phish.example) ``` <img src=x>', status: 'Active' }];
  const opts = { sample, filePath: file, host: nodeFileHost };
  const hoverAt = (text: string) => {
    const c = at(text, opts);
    const h = doHover(c.ctx, c.position);
    return h ? (h.contents as { value: string }).value : '';
  };

  it('a custom schema description and name, in hover and completion', () => {
    const h = hoverAt(`${head}mappings:\n  ${URN}:Bad|ge: id\n`);
    assert.match(h, /Badge/);
    assertInert(render(h), h);
    const s = hoverAt(`${head}mappings:\n  urn:ietf:params:scim:sch|emas:extension:evil:1.0:User:Badge: id\n`);
    assert.ok(s.length > 0);
    assertInert(render(s), s);
    const c = at(`${head}mappings:\n  ${URN}:|\n`, opts);
    const items = doComplete(c.ctx, c.position).items;
    assert.ok(items.length > 0);
    for (const i of items) {
      const doc = typeof i.documentation === 'string' ? i.documentation : i.documentation?.value ?? '';
      assertInert(render(doc), doc);
    }
  });

  it('a let binding whose text holds backticks, a fence and an image', () => {
    const lets = 'let:\n  x: \'"```\\n![x](https://evil.example/l.png)\\n```" & `a`\'\n';
    const h = hoverAt(`${head}${lets}mappings:\n  externalId: $|x\n`);
    assert.match(h, /let binding/);
    assertInert(render(h), h);
    const c = at(`${head}${lets}mappings:\n  externalId: $|\n`, opts);
    const mine = doComplete(c.ctx, c.position).items.filter((i) => i.label === '$x');
    assert.equal(mine.length, 1);
    for (const i of mine) {
      const doc = typeof i.documentation === 'string' ? i.documentation : i.documentation?.value ?? '';
      assertInert(render(doc), doc);
    }
    const s = at(`${head}${lets}mappings:\n  externalId: $string(|x)\n`, opts);
    const sig = doSignatureHelp(s.ctx, s.position);
    const sd = sig?.signatures[0]?.documentation;
    const sdoc = typeof sd === 'string' ? sd : sd?.value ?? '';
    assertInert(render(sdoc), sdoc);
  });

  it('sample header names and values, in hover and completion', () => {
    const h = hoverAt(`${head}mappings:\n  externalId: \`![h](https://evil.example/h.|png)\`\n`);
    assert.match(h, /sample field/);
    assertInert(render(h), h);
    const c = at(`${head}mappings:\n  externalId: ¦\n`, { ...opts, marker: '¦' });
    const items = doComplete(c.ctx, c.position).items.filter((i) => i.kind === 5); // fields; the catalog's own docs are ours
    assert.ok(items.some((i) => String(i.label).includes(header)), JSON.stringify(items.map((i) => i.label)));
    for (const i of items) {
      const doc = typeof i.documentation === 'string' ? i.documentation : i.documentation?.value ?? '';
      assertInert(render(doc), doc);
    }
    // An unknown field named like a link, in an expression.
    const u = hoverAt(`${head}mappings:\n  externalId: \`[click](https://phish.exa|mple)\`\n`);
    assertInert(render(u), u);
  });
});
