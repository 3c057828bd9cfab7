import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { doHover, doSignatureHelp } from '../../../src/service/features';
import { at, HEAD, Options, PEOPLE } from './cursor';

function hover(text: string, opts: Options = { sample: PEOPLE }): string | undefined {
  const c = at(text, opts);
  const h = doHover(c.ctx, c.position);
  return h ? unescape((h.contents as { value: string }).value) : undefined;
}

/** The text as rendered: untrusted names and descriptions are backslash-escaped (test/unit/service/markdown.test.ts checks that). */
const unescape = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

const URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('hover', () => {
  it('describes a SCIM attribute key: type, flags, Entra note', () => {
    const md = hover(`${HEAD}mappings:\n  exte|rnalId: WorkerID\n`)!;
    assert.match(md, /\*\*externalId\*\* — `string · single-valued · optional · readWrite`/);
    assert.match(md, /\*\*Entra:\*\* The matching key/);
  });

  it('describes sub-attributes, filters with canonical values, and schema URNs', () => {
    assert.match(hover(`${HEAD}mappings:\n  name.give|nName: FirstName\n`)!, /\*\*name\.givenName\*\*/);
    assert.match(hover(`${HEAD}mappings:\n  emails[ty|pe eq "work"].value: Email\n`)!, /Canonical values: `work`, `home`, `other`/);
    assert.match(hover(`${HEAD}mappings:\n  urn:ietf:params:sc|im:schemas:extension:enterprise:2.0:User:department: x\n`)!, /Enterprise/i);
    assert.match(hover(`${HEAD}mappings:\n  ${URN}:manager.val|ue: x\n`)!, /\*\*manager\.value\*\*/);
  });

  it('describes JSONata functions with signature and example', () => {
    const md = hover(`${HEAD}mappings:\n  userName: $lower|case(Email)\n`)!;
    assert.match(md, /\$lowercase\(str\)/);
    assert.match(md, /Example/);
  });

  it('describes sample fields: types, three examples, how many records leave it empty', () => {
    const md = hover(`${HEAD}mappings:\n  userName: $lowercase(Em|ail)\n`)!;
    assert.match(md, /Types seen: `string`/);
    assert.match(md, /"ana\.silva@contoso\.com"/);
    assert.match(md, /Empty in 1 of 3 sample records/);
    assert.match(hover(`${HEAD}mappings:\n  name.givenName: 'Personal.Legal_Name.First|_Name'\n`)!, /Personal\.Legal_Name\.First_Name/);
    assert.match(hover(`${HEAD}mappings:\n  title: Nope|x\n`)!, /No sample record has `Nopex`/);
  });

  it('describes let bindings, at the key and at a use', () => {
    const text = `${HEAD}let:\n  dom|ain: '"contoso.com"'\nmappings:\n  userName: Email & "@" & $domain\n`;
    assert.match(hover(text)!, /\$domain\*\* — let binding \(string\)[\s\S]*Used 1 time/);
    assert.match(hover(`${HEAD}let:\n  domain: '"contoso.com"'\nmappings:\n  userName: Email & "@" & $dom|ain\n`)!, /let binding/);
  });

  it('works through block scalars', () => {
    assert.match(hover(`${HEAD}mappings:\n  displayName: >-\n    $trim(First|Name)\n`)!, /\*\*FirstName\*\*/);
  });

  it('answers null elsewhere', () => {
    assert.equal(hover(`scim|map: 1\n`), undefined);
  });
});

describe('signature help', () => {
  function sig(text: string) {
    const c = at(text, { sample: PEOPLE });
    return doSignatureHelp(c.ctx, c.position);
  }
  it('shows the built-in signature with the active parameter', () => {
    const h = sig(`${HEAD}mappings:\n  displayName: $join([FirstName, LastName], |)\n`)!;
    assert.equal(h.signatures[0].label, '$join(array, separator?)');
    assert.equal(h.activeParameter, 1);
    assert.equal(sig(`${HEAD}mappings:\n  displayName: $join([FirstName, LastName]|\n`)!.activeParameter, 0);
  });

  it('ignores commas in strings and nested calls', () => {
    const h = sig(`${HEAD}mappings:\n  title: '$substring($replace(Email, ",", "("), |'\n`)!;
    assert.equal(h.signatures[0].label, '$substring(str, start, length?)');
    assert.equal(h.activeParameter, 1);
  });

  it('shows lambda bindings', () => {
    const h = sig(`${HEAD}let:\n  f: 'function($a, $b) { $a & $b }'\nmappings:\n  title: $f(FirstName, |)\n`)!;
    assert.equal(h.signatures[0].label, '$f($a, $b)');
    assert.equal(h.activeParameter, 1);
  });

  it('is null outside calls and in keys', () => {
    assert.equal(sig(`${HEAD}mappings:\n  title: FirstName|\n`), null);
    assert.equal(sig(`${HEAD}mappings:\n  tit|le: $f(x)\n`), null);
  });
});
