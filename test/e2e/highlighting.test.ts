// In a real VS Code: the JSONata inside a mapping value is highlighted as JSONata, the YAML around it stays YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skipE2E } from './harness';
import { E2E_WORKSPACE, useVSCode } from './fixtures';

const skip = skipE2E;
const { session } = useVSCode(() => ({
  name: 'highlighting',
  workspace: E2E_WORKSPACE,
  requireBuild: false, // highlighting needs no bundle; a half-written server must not block this test
}));

test('a .scimmap.yaml file opens as "SCIM Mapping", not YAML', { skip }, async () => {
  const v = session();
  await v.openFile('contoso.scimmap.yaml');
  await v.page.locator('#status\\.editor\\.mode', { hasText: 'SCIM Mapping' }).waitFor();
});

test('a JSONata function in a mapping value is a support.function token; the YAML key stays a YAML key', { skip }, async () => {
  const v = session();
  await v.openFile('contoso.scimmap.yaml');

  // Rendered colors: the function, the key and a plain YAML string each get their own theme color.
  // On a cold start the line is first painted before TextMate tokenization and the theme's token colors arrive
  // (everything in the default color): read the line again until the grammar's colors show, up to 15 s.
  let tokens = await v.lineTokens('userName:');
  const colorOf = (text: string): string => {
    const t = tokens.find((x) => x.text.includes(text));
    assert.ok(t, `no token "${text}" in ${JSON.stringify(tokens)}`);
    return t.color;
  };
  const painted = () => tokens.some((t) => t.text.includes('lowercase')) && tokens.some((t) => t.text.includes('userName')) && colorOf('lowercase') !== '' && colorOf('lowercase') !== colorOf('userName');
  for (let i = 0; i < 75 && !painted(); i++) {
    await v.page.waitForTimeout(200);
    tokens = await v.lineTokens('userName:');
  }
  const [plainString] = (await v.lineTokens('Contoso workers')).filter((x) => x.text.includes('Contoso')).map((x) => x.color);
  assert.notEqual(colorOf('lowercase'), colorOf('userName'), 'function and key share a color');
  assert.notEqual(colorOf('lowercase'), plainString, 'function is colored like a YAML string');
  assert.notEqual(colorOf('FirstName'), plainString, 'a field name inside the expression is colored like a YAML string');

  // TextMate scopes, as VS Code's own token inspector reports them (line 11: "  userName: $lowercase(...").
  const fn = await v.inspectTokenAt(11, 16);
  assert.match(fn, /support\.function\.builtin\.jsonata/);
  assert.match(fn, /meta\.embedded\.inline\.jsonata/);
  assert.match(fn, /source\.scimmap/);
  assert.match(fn, /^language\tjsonata$/m, 'the value is the embedded jsonata language (brackets, word pattern)');
  const key = await v.inspectTokenAt(11, 4);
  assert.match(key, /entity\.name\.tag\.yaml/);
  assert.match(key, /^language\tscimmap$/m);
  assert.doesNotMatch(key, /\.jsonata$/m, 'the key carries a JSONata scope');
  // A block scalar value (line 18) is JSONata too.
  assert.match(await v.inspectTokenAt(18, 7), /support\.function\.builtin\.jsonata/);

  await v.goTo(11, 16);
  await v.screenshot('highlighting-scimmap');
});

test('a .jsonata file is highlighted by the JSONata grammar', { skip }, async () => {
  const v = session();
  await v.openFile('display-name.jsonata');
  await v.page.locator('#status\\.editor\\.mode', { hasText: 'JSONata' }).waitFor();
  const fn = await v.inspectTokenAt(2, 4);
  assert.match(fn, /support\.function\.builtin\.jsonata/);
  assert.match(fn, /source\.jsonata/);
  assert.match(await v.inspectTokenAt(1, 6), /comment\.block\.jsonata/);
  await v.screenshot('highlighting-jsonata');
});
