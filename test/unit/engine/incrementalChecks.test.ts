/**
 * The sample's record and dataset checks keep each part's findings between validations (checks/sample.ts,
 * SampleChecksCache). After every edit of a sequence the kept results must equal a full recomputation (fresh
 * evaluator, fresh cache) and the single pass over the records the checks were before they were split in parts
 * (`onePass` below, the reference).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkSampleRecords, SampleChecksCache, SampleRecordChecks } from '../../../src/engine/checks/sample';
import { checkRecordValues } from '../../../src/engine/checks/record';
import { DatasetStats, datasetFindings } from '../../../src/engine/checks/dataset';
import { DuplicateTracker, latestIndexes } from '../../../src/engine/checks/duplicates';
import { SampleEvaluation, SampleEvaluator } from '../../../src/engine/sample/evaluate';
import { loadSample, SampleSet, sampleVersion } from '../../../src/engine/sample/load';
import type { MappingAnalysis } from '../../../src/engine/analysis';
import type { CompiledMapping, CompiledTarget } from '../../../src/engine/transform/compile';
import type { TransformResult } from '../../../src/engine/transform/record';
import type { RecordError } from '../../../src/engine/types';
import { sampleOptions, validateMapping } from '../../../src/engine/validate';
import { tempDir } from '../../tempDirs';

/** The checks as one pass over the records (what checkSampleRecords did before it kept results per part). */
async function onePass(m: CompiledMapping, sample: SampleSet, ev: SampleEvaluation): Promise<SampleRecordChecks> {
  const n = sample.records.length;
  const out: SampleRecordChecks = { total: n, errors: new Map(), warnings: new Map(), skipped: new Map(), dataset: [], duplicates: new Map() };
  const failedAt = new Map<string, Map<number, string>>();
  for (const t of m.targets) {
    const s = ev.targets.get(t.key);
    const f = new Map<number, string>();
    s?.failed.forEach((i, k) => f.set(i, s.failedCodes[k] ?? 'expression-error'));
    failedAt.set(t.key, f);
  }
  const letFailed = ev.lets.map((l) => ({ name: l.name, failed: new Set(l.failed), message: l.problems[0]?.message ?? 'evaluation failed' }));
  const valueAt = (t: CompiledTarget, i: number): unknown => {
    const s = ev.targets.get(t.key);
    const v = s?.values[i];
    if (v !== undefined || !s || failedAt.get(t.key)!.has(i)) return v;
    return m.clear.has(t.key) ? m.clear.get(t.key) : undefined;
  };
  const failedOn = (t: CompiledTarget, i: number) => !ev.targets.has(t.key) || failedAt.get(t.key)!.has(i);
  const extTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'externalId' && !t.resolved.subAttribute);
  const userTarget = m.targets.find((t) => t.resolved.container === null && t.resolved.attribute.name === 'userName' && !t.resolved.subAttribute);
  const latest = m.duplicates === 'last' ? await latestIndexes(sample.records.map((_, index) => ({ index, externalId: extTarget ? valueAt(extTarget, index) : undefined }))) : undefined;
  const dupes = new DuplicateTracker(m.duplicates, latest);
  const stats = new DatasetStats(m);
  for (let i = 0; i < n; i++) {
    const key = sample.keys[i];
    const errors: RecordError[] = [];
    const warnings: RecordError[] = [];
    for (const l of letFailed) if (l.failed.has(i)) errors.push({ index: i, key, attribute: `$${l.name}`, code: 'expression-error', message: `let ${l.name}: ${l.message}` });
    for (const t of m.targets) {
      const code = failedAt.get(t.key)!.get(i);
      if (code === undefined) continue;
      const message = `${ev.targets.get(t.key)!.problems.find((x) => x.code === code)?.message ?? code}`;
      if (m.dropOnInvalid.has(t.key)) warnings.push({ index: i, key, attribute: t.key, code: 'attribute-dropped', message: `${message} — left out (onInvalid: drop-attribute; was ${code})` });
      else errors.push({ index: i, key, attribute: t.key, code, message });
    }
    const failed = (t: CompiledTarget) => failedOn(t, i);
    const value = (t: CompiledTarget) => valueAt(t, i);
    for (const f of checkRecordValues(m, value, failed)) (f.severity === 'error' ? errors : warnings).push({ index: i, key, attribute: f.attribute, code: f.code, message: f.message });
    const probe = { index: i, key, resource: { externalId: extTarget && value(extTarget), userName: userTarget && value(userTarget) }, errors, warnings, values: new Map() } as unknown as TransformResult;
    dupes.check(probe);
    if (probe.skipped) out.skipped.set(i, probe.skipped);
    if (dupes.match) {
      const d = out.duplicates.get(dupes.match.attribute);
      if (d) d.count++;
      else out.duplicates.set(dupes.match.attribute, { count: 1, value: dupes.match.value, first: Math.min(dupes.match.other, i), repeat: Math.max(dupes.match.other, i), skipped: !!probe.skipped });
    }
    if (errors.length) out.errors.set(i, errors);
    if (warnings.length) out.warnings.set(i, warnings);
    stats.add(value, failed);
  }
  out.dataset = datasetFindings(m, stats);
  return out;
}

/** Maps as entry lists: the order of records and of the findings on a record count too. */
const plain = (c: SampleRecordChecks) => ({ ...c, errors: [...c.errors], warnings: [...c.warnings], skipped: [...c.skipped], duplicates: [...c.duplicates] });

// 40 people with what the checks look at: repeated ids and sign-in names (case differs), empty ids, a number
// where a string belongs, bad e-mails, countries, language tags and time zones, mostly active.
const people = Array.from({ length: 40 }, (_, i) => ({
  id: i === 7 ? '' : i === 21 ? 'E1003' : `E${1000 + i}`,
  upn: i === 30 ? 'P2@CONTOSO.COM' : i === 12 ? 'no-at-sign' : i === 33 ? '' : `p${i}@contoso.com`,
  status: i % 9 === 4 ? 'Inactive' : 'Active',
  title: i === 15 ? 42 : i % 5 === 0 ? '' : `Title ${i % 3}`,
  email: i === 18 ? 'not an e-mail' : `p${i}@contoso.com`,
  country: i === 9 ? 'UK' : i % 2 ? 'DE' : 'US',
  lang: i === 11 ? 'en_US' : 'en-US',
  tz: i === 13 ? 'Mars/Olympus' : 'Europe/Berlin',
  hired: i === 25 ? 'soon' : '2024-01-15',
}));

const EXT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TAIL = 'urn:ietf:params:scim:schemas:extension:tailspin:1.0:User';
const ACME = 'urn:example:params:scim:schemas:extension:acme:1.0:User';
const ACME_HEAD = `extensions:\n  ${ACME}: acme.json\n`;
const ACME_SCHEMA = { id: ACME, name: 'Acme', attributes: [{ name: 'badge', type: 'string', multiValued: false, required: true }, { name: 'floor', type: 'string', multiValued: false }] };

interface Version {
  /** The sample file is rewritten with these records before this version is checked. */
  sample?: unknown[];
  source?: string;
  /** source.key: the field record names in messages come from. */
  key?: string;
  target?: 'entra' | 'scim';
  head?: string;
  lines: Record<string, string>;
}

const base: Record<string, string> = {
  externalId: 'id',
  userName: 'upn',
  active: 'status = "Active"',
  displayName: 'upn',
  title: 'title',
  'emails[type eq "work"].value': 'email',
  'addresses[type eq "work"].country': 'country',
  preferredLanguage: 'lang',
  timezone: 'tz',
  [`${EXT}:department`]: '$substring(title, 0, 5)',
};

const versions: Version[] = [
  { lines: base },
  // A non-identity attribute: only that target's parts run again.
  { lines: { ...base, title: '$uppercase(title)' } },
  // Identity attributes: more duplicates, then fewer, a lower-cased sign-in name, then all inactive.
  { lines: { ...base, externalId: '$substring(id, 0, 4)' } },
  { lines: { ...base, userName: '$lowercase(upn)' } },
  { lines: { ...base, active: 'status = "active"' } },
  { lines: { ...base, active: 'status != "Inactive"' } },
  // What to do with duplicates: first, last (a pass for the latest record), back to the default.
  { source: 'duplicates: first', lines: { ...base, externalId: '$substring(id, 0, 4)' } },
  { source: 'duplicates: last', lines: { ...base, externalId: '$substring(id, 0, 4)' } },
  { lines: { ...base, externalId: '$substring(id, 0, 4)' } },
  // The sample changes on disk (one more person, one sign-in name repeated): nothing kept applies.
  { sample: [...people, { ...people[3], id: 'E2000', upn: people[5].upn }], lines: { ...base, externalId: '$substring(id, 0, 4)' } },
  // Another source.key: the same values, other record names in every finding.
  { key: 'upn', lines: { ...base, externalId: '$substring(id, 0, 4)' } },
  // onInvalid and clear change findings of unchanged targets.
  { head: 'onInvalid:\n  drop-attribute:\n    - title\nclear:\n  displayName: null\n', lines: { ...base, displayName: 'title' } },
  { head: 'clear:\n  displayName: ""\n', lines: { ...base, displayName: 'title' } },
  // A let binding that fails on some records; verified domains; a mapping removed; a date.
  { head: 'let:\n  n: $number(id)\n', lines: { ...base, title: '$string($n)' } },
  { head: 'domains:\n  - fabrikam.com\n', lines: base },
  { lines: Object.fromEntries(Object.entries(base).filter(([k]) => !k.startsWith('emails'))) },
  { head: `extensions:\n  ${TAIL}:\n    HireDate: dateTime\n`, lines: { ...base, [`${EXT}:employeeNumber`]: 'id', [`${TAIL}:HireDate`]: 'hired' } },
  { lines: base },
  // A scim target: userName is the identity, and an extension attribute its schema requires (checked only on
  // records that use the extension).
  { target: 'scim', head: ACME_HEAD, lines: { userName: 'upn', externalId: 'id', [`${ACME}:badge`]: 'title', [`${ACME}:floor`]: 'lang = "en-US" ? country' } },
  { target: 'scim', head: ACME_HEAD, lines: { userName: 'upn', externalId: 'id', [`${ACME}:badge`]: 'title = "" ? "" : title', [`${ACME}:floor`]: 'lang = "en-US" ? country' } },
  { target: 'scim', head: ACME_HEAD, lines: { userName: 'upn', externalId: 'id', [`${ACME}:badge`]: 'title = "" ? "" : title', [`${ACME}:floor`]: 'country' } },
  // Only floor changes: records with an empty badge stop using the extension, so their badge errors go.
  { target: 'scim', head: ACME_HEAD, lines: { userName: 'upn', externalId: 'id', [`${ACME}:badge`]: 'title = "" ? "" : title', [`${ACME}:floor`]: 'title = "" ? "" : country' } },
  { target: 'scim', head: ACME_HEAD, lines: { userName: '$substring(upn, 0, 2)', externalId: 'id', [`${ACME}:badge`]: 'title = "" ? "" : title', [`${ACME}:floor`]: 'country' } },
];

function text(v: Version): string {
  const body = Object.entries(v.lines).map(([k, e]) => `  ${JSON.stringify(k)}: ${JSON.stringify(e)}`).join('\n');
  return `scimmap: 1\nsource:\n  sample: people.json\n  key: ${v.key ?? 'id'}\n${v.source ? `  ${v.source}\n` : ''}target: ${v.target ?? 'entra'}\n${v.head ?? ''}mappings:\n${body}\n`;
}

test('record and dataset checks kept per part equal a full recomputation after every edit', async () => {
  const dir = tempDir('scimmap-incremental-');
  fs.writeFileSync(path.join(dir, 'people.json'), JSON.stringify(people));
  fs.writeFileSync(path.join(dir, 'acme.json'), JSON.stringify(ACME_SCHEMA));
  const filePath = path.join(dir, 'people.scimmap.yaml');
  const evaluator = new SampleEvaluator();
  const cache = new SampleChecksCache();
  // As the server's worker does: one SampleSet per file version, read again when the file changes.
  let held: { key: string; sample: SampleSet } | undefined;
  const getSample = async (p: string, analysis: MappingAnalysis) => {
    const key = `${sampleVersion(p)}\u0000${sampleOptions(analysis).keyField}`;
    if (held?.key !== key) {
      held = { key, sample: await loadSample(p, sampleOptions(analysis)) };
      evaluator.clear();
    }
    return held.sample;
  };
  const seen = new Set<string>();
  for (const [k, v] of versions.entries()) {
    if (v.sample) fs.writeFileSync(path.join(dir, 'people.json'), JSON.stringify(v.sample));
    const doc = text(v);
    const kept = await validateMapping(doc, { filePath, evaluator, getSample });
    const full = await validateMapping(doc, { filePath });
    assert.ok(kept.records && full.records && full.sample && full.evaluation, `version ${k}: the sample was checked`);
    assert.deepEqual(kept.analysis.diagnostics.filter((d) => d.severity === 'error'), [], `version ${k}: the mapping is valid`);
    // The same records, findings (in order), duplicates, dataset findings and diagnostics.
    assert.deepEqual(plain(kept.records), plain(full.records), `version ${k}: kept vs full`);
    assert.deepEqual(plain(full.records), plain(await onePass(full.compiled, full.sample, full.evaluation)), `version ${k}: full vs one pass`);
    assert.deepEqual(kept.diagnostics, full.diagnostics, `version ${k}: diagnostics`);
    // The cache directly, on the persistent evaluator's results: it reruns only what changed.
    const direct = await checkSampleRecords(kept.compiled, kept.sample!, kept.evaluation!, cache);
    assert.deepEqual(plain(direct), plain(full.records), `version ${k}: own cache vs full`);
    if (k === 1) assert.deepEqual(cache.ran.sort(), ['failures:title', 'stats:title'], 'a one-line edit of title reruns only its parts');
    if (v.sample) {
      const fresh = new SampleChecksCache();
      await checkSampleRecords(kept.compiled, kept.sample!, kept.evaluation!, fresh);
      assert.deepEqual(cache.ran, fresh.ran, 'every part runs again on a new sample');
    }
    if (k === 2) assert.ok(cache.ran.includes('duplicates') && cache.ran.includes('record:identity:externalId') && !cache.ran.includes('record:identity:userName'), cache.ran.join());
    for (const c of full.records.errors.values()) for (const e of c) seen.add(e.code);
    for (const c of full.records.warnings.values()) for (const e of c) seen.add(e.code);
    for (const d of full.records.dataset) seen.add(d.code);
    for (const e of full.records.skipped.values()) seen.add(e.code);
  }
  // The sequence reaches every kind of finding it is meant to compare.
  for (const code of ['duplicate-external-id', 'duplicate-user-name', 'duplicate-skipped', 'missing-external-id', 'type-mismatch', 'attribute-dropped', 'expression-error', 'user-name-format', 'user-name-domain', 'email-format', 'country-code', 'language-tag', 'timezone', 'date-format', 'all-inactive', 'missing-required-attribute', 'missing-user-name']) {
    assert.ok(seen.has(code), `the edits produce ${code} (got ${[...seen].sort().join(', ')})`);
  }
  // Unchanged document: nothing runs again.
  for (let k = 0; k < 2; k++) {
    const v = await validateMapping(text(versions[0]), { filePath, evaluator, getSample });
    await checkSampleRecords(v.compiled, v.sample!, v.evaluation!, cache);
  }
  assert.deepEqual(cache.ran, []);
  // The same results on a SampleSet of the same file version but named by another key (findings carry the names):
  // nothing kept applies to another SampleSet.
  const v = await validateMapping(text(versions[0]), { filePath, evaluator, getSample });
  const renamed: SampleSet = { ...v.sample!, keys: v.sample!.keys.map((k) => `other ${k}`) };
  const again2 = await checkSampleRecords(v.compiled, renamed, v.evaluation!, cache);
  assert.deepEqual(plain(again2), plain(await checkSampleRecords(v.compiled, renamed, v.evaluation!)));
  assert.ok([...again2.errors.values()].flat().every((e) => e.key === undefined || e.key.startsWith('other ')));
});
