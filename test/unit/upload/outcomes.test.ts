// The shared results summary: what Entra did (not what the API accepted), totals by action × status and by code,
// and the CSV / JSON exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTotals, headline, resultRow, resultRowsOf, resultsCsv, resultsJson, summarizeResults } from '../../../src/targets/entra/upload';

const logged = (action: string, status: string, extra: Record<string, string> = {}) => ({ found: true, action, status, activityDateTime: '2026-01-01T10:00:00Z', ...extra });
const UNRESOLVED = { errorCode: 'UnableToResolveReferenceAttributeValue', reason: "Unable to resolve 'manager'", recommendedAction: 'Upload the manager first.' };

test('accepted is not ok: provisioning failures count as failed, pending is neither', () => {
  const rows = [
    resultRow({ externalId: 'A', upload: 'accepted', provisioning: logged('create', 'success') }),
    resultRow({ externalId: 'B', upload: 'accepted', provisioning: logged('create', 'failure', UNRESOLVED) }),
    resultRow({ externalId: 'C', upload: 'accepted', provisioning: logged('update', 'failure', UNRESOLVED) }),
    resultRow({ externalId: 'D', upload: 'accepted', provisioning: logged('disable', 'success') }),
    resultRow({ externalId: 'E', upload: 'accepted', provisioning: logged('update', 'skipped') }),
    resultRow({ externalId: 'F', upload: 'accepted' }),
    resultRow({ externalId: 'G', upload: 'failed', uploadErrorCode: 'BadRequest', uploadError: 'malformed' }),
    resultRow({ externalId: 'H', upload: 'not-sent' }),
  ];
  assert.deepEqual(rows.map((r) => r.outcome), ['created', 'failed', 'failed', 'disabled', 'skipped', 'pending', 'failed', 'not-sent']);
  const t = summarizeResults(rows);
  assert.equal(t.accepted, 6);
  assert.equal(t.failed, 3);
  assert.equal(t.ok, false);
  assert.equal(t.final, false);
  assert.equal(headline(t), '1 created · 1 disabled · 1 skipped · 3 failed · 1 pending · 1 not sent — 6 of 8 accepted by the API');
  assert.deepEqual(t.byCode.map((c) => [c.code, c.count, c.recommendedAction]), [['UnableToResolveReferenceAttributeValue', 2, 'Upload the manager first.'], ['BadRequest', 1, undefined]]);
  assert.deepEqual(t.byActionStatus.find((p) => p.action === 'create' && p.status === 'failure')?.count, 1);
  const text = formatTotals(t).join('\n');
  assert.equal(text.match(/Upload the manager first/g)?.length, 1);
  const ok = summarizeResults([rows[0]!, rows[3]!]);
  assert.equal(ok.ok, true);
  assert.equal(headline(ok), '1 created · 1 disabled · 0 failed — 2 of 2 accepted by the API');
});

test('CSV and JSON exports: externalId, action, status, code, reason, time; spreadsheet formulas defused', () => {
  const rows = resultRowsOf(
    [{ bulkId: 'x', externalId: 'E1', status: 'accepted' }, { bulkId: 'x2', externalId: '=HYPERLINK("x")', status: 'accepted' }, { bulkId: 'E3', status: 'not-sent' }],
    [{ externalId: 'E1', ...logged('create', 'failure', { ...UNRESOLVED, reason: 'has "quotes", commas\nand lines' }) }],
  );
  const csv = resultsCsv(rows);
  assert.equal(csv.split('\r\n')[0], 'externalId,action,status,code,reason,time');
  assert.equal(csv.split('\r\n')[1], 'E1,create,failure,UnableToResolveReferenceAttributeValue,"has ""quotes"", commas\nand lines",2026-01-01T10:00:00Z');
  assert.ok(csv.includes(`"'=HYPERLINK(""x"")",,pending,,,`), csv);
  assert.ok(csv.endsWith('E3,,not-sent,,,\r\n'));
  const json = JSON.parse(resultsJson(rows)) as { totals: { failed: number }; records: { externalId: string; code: string | null }[] };
  assert.equal(json.totals.failed, 1);
  assert.deepEqual(json.records.map((r) => [r.externalId, r.code]), [['E1', 'UnableToResolveReferenceAttributeValue'], ['=HYPERLINK("x")', null], ['E3', null]]);
});
