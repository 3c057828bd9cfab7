/**
 * Script blocks → JSONata, checked by evaluating the translation on rows and comparing with what PowerShell
 * gives for the same block (expected values written from PowerShell's documented semantics: comparisons ignore
 * case, -and/-or share one precedence left to right, a string left operand makes the right one a string).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonata from 'jsonata';
import { translateScriptblock, Untranslatable } from '../../../src/migrate/csv2scim/scriptblock';

const identity = (name: string) => name;

async function run(block: string, row: Record<string, string>): Promise<unknown> {
  const t = translateScriptblock(block, 0, identity);
  return jsonata(t.expr).evaluate(row);
}

const row = { Status: 'Active', First: 'Seán', Last: "O'Brien", Type: 'Employee', Phone: '+1 (425) 555-0100', Empty: '', Code: 'UK', Num: '10' };

const cases: Array<[string, Record<string, string>, unknown]> = [
  [`$_.'Status' -eq 'active'`, row, true], // -eq ignores case
  [`$_.Status -eq 'ACTIVE'`, row, true],
  [`$_."Status" -ieq 'active'`, row, true],
  [`$_.'Status' -ceq 'active'`, row, false], // -ceq does not
  [`$_.'Status' -ceq 'Active'`, row, true],
  [`$_.'Status' -ne 'inactive'`, row, true],
  [`$_.'Status' -ne 'ACTIVE'`, row, false],
  [`$_.'Missing' -ne 'x'`, row, true], // $null -ne 'x' is $true in PowerShell
  [`$_.'Missing' -eq 'x'`, row, false],
  [`$_.'Empty' -eq ''`, row, true],
  [`$_.'Empty' -eq $null`, row, false], // '' is not $null
  [`$_.'Missing' -eq $null`, row, true],
  [`$_.'Type' -like 'emp*'`, row, true],
  [`$_.'Type' -like 'E?ployee'`, row, true],
  [`$_.'Type' -like 'contract*'`, row, false],
  [`$_.'Type' -clike 'emp*'`, row, false],
  [`$_.'Type' -notlike '*tractor'`, row, true],
  [`$_.'Phone' -like '+1 (*'`, row, true], // wildcard text with regex characters is literal
  [`$_.'Code' -match '^u'`, row, true],
  [`$_.'Code' -cmatch '^u'`, row, false],
  [`$_.'Code' -notmatch 'gb'`, row, true],
  [`$_.'Phone' -replace '[^0-9+]', ''`, row, '+14255550100'],
  [`$_.'Code' -replace 'uk', 'GB'`, row, 'GB'], // -replace ignores case
  [`$_.'Code' -creplace 'uk', 'GB'`, row, 'UK'],
  [`$_.'Last' -replace "'", ''`, row, 'OBrien'],
  [`$_.'First' -replace '(S)(e)', '$2$1'`, row, 'eSán'],
  [`$_.'First' + ' ' + $_.'Last'`, row, "Seán O'Brien"],
  [`"$($_.'First') $($_.'Last')"`, row, "Seán O'Brien"],
  [`$_.'First'.ToLower() + '.' + $_.'Last'.ToLower()`, row, "seán.o'brien"],
  [`$_.'Code'.ToUpper()`, { Code: 'gb' }, 'GB'],
  [`$_.'First'.Substring(0, 1)`, row, 'S'],
  [`$_.'Phone'.Trim()`, { Phone: '  1  ' }, '1'],
  [`$_.'Phone'.Split(' ')[0]`, row, '+1'],
  [`'work'`, row, 'work'],
  [`"work"`, row, 'work'],
  [`$true`, row, true],
  [`$false`, row, false],
  [`42`, row, 42],
  [`$_.'Status' -eq 'Active' -and $_.'Type' -eq 'Employee'`, row, true],
  [`$_.'Status' -eq 'Active' -and $_.'Type' -eq 'Contractor'`, row, false],
  [`$_.'Status' -eq 'Inactive' -or $_.'Type' -eq 'employee'`, row, true],
  // PowerShell: ($true -or $false) -and $false → $false; JSONata's precedence would give true.
  [`$true -or $false -and $false`, row, false],
  [`-not ($_.'Status' -eq 'Active')`, row, false],
  [`!($_.'Status' -eq 'Inactive')`, row, true],
  [`-not $_.'Empty'`, row, true], // '' is falsy
  [`if ($_.'Code' -eq 'UK') { 'GB' } else { $_.'Code' }`, row, 'GB'],
  [`if ($_.'Code' -eq 'UK') { 'GB' } else { $_.'Code' }`, { Code: 'DE' }, 'DE'],
  [`if ($_.'Code' -eq 'UK') { 'GB' } elseif ($_.'Code' -eq 'USA') { 'US' } else { $_.'Code' }`, { Code: 'usa' }, 'US'],
  [`if ($_.'Status' -eq 'Active') { $true } else { $false }`, { Status: 'Terminated' }, false],
  [`$_.'Code' -eq 'UK' ? 'GB' : $_.'Code'`, row, 'GB'],
  [`[string]::IsNullOrEmpty($_.'Empty')`, row, true],
  [`[string]::IsNullOrEmpty($_.'Code')`, row, false],
  [`[string]::IsNullOrWhiteSpace($_.'Blank')`, { Blank: '   ' }, true],
  [`$_.'Num' -gt '9'`, row, false], // text comparison, as PowerShell does with a text left operand
  [`$_.'Num' -eq 10`, row, true], // the number becomes text
  [`# a comment\n $_.'Status' -eq 'active'`, row, true],
  [`$PSItem.'Status' -eq 'active'`, row, true],
];

for (const [block, input, expected] of cases) {
  test(`{ ${block.replace(/\n/g, ' ')} } on ${JSON.stringify(input).slice(0, 40)} → ${JSON.stringify(expected)}`, async () => {
    assert.deepEqual(await run(block, input), expected);
  });
}

test('column names with spaces or JSONata words are written in backticks', async () => {
  const t = translateScriptblock(`$_.'Cost Center' + '-' + $_.'and'`, 0, identity);
  assert.equal(t.expr, '`Cost Center` & "-" & `and`');
  assert.equal(await jsonata(t.expr).evaluate({ 'Cost Center': 'CC1', and: 'x' }), 'CC1-x');
});

test('the column resolver sees every column with its offset (it maps case to the CSV header)', () => {
  const seen: Array<[string, number]> = [];
  const t = translateScriptblock(` $_.'workerstatus' -eq 'Active'`, 100, (n, at) => { seen.push([n, at]); return 'WorkerStatus'; });
  assert.deepEqual(seen, [['workerstatus', 104]]);
  assert.equal(t.expr, '($lowercase(WorkerStatus) = "active")');
});

const refused: Array<[string, RegExp, number]> = [
  [`$_.'A' | ForEach-Object { $_ }`, /pipelines|not supported/, 7],
  [`$x = 1; $x`, /variable \$x/, 0],
  [`$env:USERNAME`, /variable/, 0],
  [`$_.'A'; $_.'B'`, /only one expression/, 8],
  [`Get-Date`, /not supported/, 0],
  [`$_.'A' -split ','`, /-split/, 7],
  [`[datetime]$_.'A'`, /\[datetime\]/, 0],
  [`$_.'A'.Normalize()`, /\.normalize\(\)/i, 6],
  [`"$env:X"`, /variables inside a string/, 0],
  [`$_.'A' -match $_.'B'`, /literal string/, 7],
  [`$_.'A' -replace '(?i)x', 'y'`, /\.NET-only/, 7],
  [``, /empty/, 0],
];
for (const [block, why, offset] of refused) {
  test(`refused with a reason and an offset: { ${block} }`, () => {
    assert.throws(() => translateScriptblock(block, 0, identity), (e: unknown) => {
      assert.ok(e instanceof Untranslatable, String(e));
      assert.match(e.message, why);
      assert.equal(e.offset, offset);
      return true;
    });
  });
}

// A quadratic scan of these takes minutes (the suite would stall); a linear one milliseconds.
test('200,000-character blocks translate or are refused in linear time', () => {
  const long = `$_.'A' -eq '${'x'.repeat(200_000)}'`;
  assert.equal(translateScriptblock(long, 0, identity).type, 'bool');
  const spaces = `$_.'A'${' '.repeat(200_000)}-eq 'x'`;
  assert.equal(translateScriptblock(spaces, 0, identity).type, 'bool');
  const plus = Array.from({ length: 20_000 }, () => `$_.'A'`).join(' + ');
  assert.equal(translateScriptblock(plus, 0, identity).type, 'string');
  assert.throws(() => translateScriptblock(`'${"''".repeat(100_000)}`, 0, identity), Untranslatable);
});
