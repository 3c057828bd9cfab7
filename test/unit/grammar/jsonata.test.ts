import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRegistry, dump, scopesOf, tokenize, type Token } from './textmate';

const registry = createRegistry();
const jsonata = (text: string): Promise<Token[]> => tokenize(registry, 'source.jsonata', text);

/** The innermost scope of the token at `needle`, the one a theme colors by. */
function inner(tokens: Token[], needle: string, occurrence = 1): string {
  return scopesOf(tokens, needle, occurrence).at(-1) ?? '';
}

test('jsonata: comments, strings with escapes, numbers and constants', async () => {
  const t = await jsonata('/* a comment */ "a\\"b\\u00e9" & \'single\' & 3.5e2 & true & null');
  assert.equal(inner(t, 'a comment'), 'comment.block.jsonata');
  assert.equal(inner(t, '/*'), 'punctuation.definition.comment.begin.jsonata');
  assert.equal(inner(t, '\\"'), 'constant.character.escape.jsonata');
  assert.equal(inner(t, '\\u00e9'), 'constant.character.escape.jsonata');
  assert.equal(inner(t, 'b\\u'), 'string.quoted.double.jsonata');
  assert.equal(inner(t, 'single'), 'string.quoted.single.jsonata');
  assert.equal(inner(t, '3.5e2'), 'constant.numeric.jsonata');
  assert.equal(inner(t, 'true'), 'constant.language.boolean.jsonata');
  assert.equal(inner(t, 'null'), 'constant.language.null.jsonata');
});

test('jsonata: multi-line comments stay comments', async () => {
  const t = await jsonata('/* first\n second */ Name');
  assert.equal(inner(t, ' second'), 'comment.block.jsonata');
  assert.equal(inner(t, 'Name'), 'variable.other.member.jsonata');
});

test('jsonata: built-in calls, user function calls, variables, $ and $$', async () => {
  const t = await jsonata('$lowercase(FirstName) & $myFn($x) & $domain & $$.a & $.b & $substringBefore (s, "@")');
  assert.ok(scopesOf(t, 'lowercase').includes('support.function.builtin.jsonata'), dump(t));
  assert.ok(scopesOf(t, '$lowercase').includes('punctuation.definition.variable.jsonata'));
  assert.ok(scopesOf(t, 'substringBefore').includes('support.function.builtin.jsonata'), 'space before ( allowed');
  assert.ok(scopesOf(t, 'myFn').includes('entity.name.function.jsonata'));
  assert.ok(scopesOf(t, 'domain').includes('variable.other.jsonata'));
  assert.ok(scopesOf(t, 'x)').includes('variable.other.jsonata'));
  assert.equal(inner(t, '$$'), 'variable.language.root.jsonata');
  assert.equal(inner(t, '$.b'), 'variable.language.context.jsonata');
  assert.equal(inner(t, 'FirstName'), 'variable.other.member.jsonata');
});

test('jsonata: a built-in name not followed by ( is a variable, not a call', async () => {
  const t = await jsonata('$map($xs, $string)');
  assert.ok(scopesOf(t, 'map').includes('support.function.builtin.jsonata'));
  assert.ok(scopesOf(t, 'string)').includes('variable.other.jsonata'));
});

test('jsonata: operators', async () => {
  const t = await jsonata('($a := 1; A & B ~> $f(); C ?: D; E ?? F; [1..3]; x ? y : z; G != H; I <= J; K in L and M or N)');
  assert.equal(inner(t, ':='), 'keyword.operator.assignment.jsonata');
  assert.equal(inner(t, '&'), 'keyword.operator.concatenation.jsonata');
  assert.equal(inner(t, '~>'), 'keyword.operator.chain.jsonata');
  assert.equal(inner(t, '?:'), 'keyword.operator.default.jsonata');
  assert.equal(inner(t, '??'), 'keyword.operator.coalescing.jsonata');
  assert.equal(inner(t, '..'), 'keyword.operator.range.jsonata');
  assert.equal(inner(t, '? y'), 'keyword.operator.ternary.jsonata');
  assert.equal(inner(t, '!='), 'keyword.operator.comparison.jsonata');
  assert.equal(inner(t, '<='), 'keyword.operator.comparison.jsonata');
  assert.equal(inner(t, 'in L'), 'keyword.operator.in.jsonata');
  assert.equal(inner(t, 'and'), 'keyword.operator.logical.jsonata');
  assert.equal(inner(t, 'or N'), 'keyword.operator.logical.jsonata');
  assert.equal(inner(t, ';'), 'punctuation.terminator.statement.jsonata');
  assert.equal(inner(t, '['), 'meta.brace.square.jsonata');
  assert.equal(inner(t, '('), 'meta.brace.round.jsonata');
});

test('jsonata: words containing keywords are names', async () => {
  const t = await jsonata('Orders.index & android & nullable');
  assert.equal(inner(t, 'index'), 'variable.other.member.jsonata');
  assert.equal(inner(t, 'android'), 'variable.other.member.jsonata');
  assert.equal(inner(t, 'nullable'), 'variable.other.member.jsonata');
});

test('jsonata: regex literals where an operand is expected, division elsewhere', async () => {
  const t = await jsonata('$match(Email, /^[a-z]+@x\\.com$/i) & Total / 2 / Count');
  assert.ok(scopesOf(t, '^[a-z]').includes('string.regexp.jsonata'), dump(t));
  assert.equal(inner(t, '\\.'), 'constant.character.escape.regexp.jsonata');
  assert.equal(inner(t, 'i)'), 'keyword.other.regex-flags.jsonata');
  assert.equal(inner(t, '/ 2'), 'keyword.operator.arithmetic.jsonata');
  assert.equal(inner(t, 'Count'), 'variable.other.member.jsonata');
});

test('jsonata: backtick-quoted names and path steps', async () => {
  const t = await jsonata('Address.`Postal Code`.value');
  assert.equal(inner(t, 'Address'), 'variable.other.member.jsonata');
  assert.equal(inner(t, '.`'), 'punctuation.accessor.jsonata');
  assert.equal(inner(t, 'Postal Code'), 'variable.other.member.quoted.jsonata');
  assert.equal(inner(t, 'value'), 'variable.other.member.jsonata');
});

test('jsonata: lambdas with parameters, signature and body', async () => {
  const t = await jsonata('$map(Emails, function($e, $i)<s-n:s>{ $uppercase($e) })');
  assert.equal(inner(t, 'function'), 'storage.type.function.jsonata');
  assert.ok(scopesOf(t, '$e,').includes('variable.parameter.jsonata'));
  assert.ok(scopesOf(t, '$i').includes('variable.parameter.jsonata'));
  assert.equal(inner(t, '<s-n:s>'), 'storage.type.signature.jsonata');
  assert.equal(inner(t, '{'), 'meta.brace.curly.jsonata');
  assert.ok(scopesOf(t, 'uppercase').includes('support.function.builtin.jsonata'));
  assert.ok(scopesOf(t, '$e)').includes('variable.other.jsonata'));
});
