// Checks the bundled samples and their mappings end to end with the real readers and jsonata, without the
// engine's mapping parser (kept self-contained on purpose): every expression evaluates on every record, the
// results have the JSON types the SCIM attributes need, and the Entra rules hold (unique externalId and
// userName, manager references that exist, dateTime values with a time).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import jsonata from 'jsonata';
import { parse as parseYaml } from 'yaml';
import { openRecords, type SourceFormat, type SourceRecord } from '../../../src/engine/readers';
import { tempDir } from '../../tempDirs';

const repo = resolve(__dirname, '../../../..');
const samplesDir = join(repo, 'samples');
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

type ScimType = 'string' | 'boolean' | 'integer' | 'decimal' | 'dateTime';
/** The SCIM types of the core/enterprise attributes the samples map (RFC 7643 §4.1, §4.3). */
const CORE: Record<string, ScimType> = {
  externalId: 'string', userName: 'string', active: 'boolean', displayName: 'string', userType: 'string',
  title: 'string', 'name.givenName': 'string', 'name.familyName': 'string', 'name.middleName': 'string',
  'emails.value': 'string', 'emails.primary': 'boolean', 'phoneNumbers.value': 'string',
  'addresses.locality': 'string', 'addresses.country': 'string',
  [`${ENTERPRISE}:employeeNumber`]: 'string', [`${ENTERPRISE}:organization`]: 'string', [`${ENTERPRISE}:division`]: 'string',
  [`${ENTERPRISE}:department`]: 'string', [`${ENTERPRISE}:costCenter`]: 'string', [`${ENTERPRISE}:manager.value`]: 'string',
};
const XSD_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const UPN = /^[a-z0-9](?:[a-z0-9-]|\.(?!\.))*[a-z0-9]@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

interface MappingDoc {
  scimmap: number;
  name: string;
  source: { sample: string; key?: string; format?: SourceFormat };
  target: string;
  extensions?: Record<string, Record<string, ScimType>>;
  let?: Record<string, string>;
  mappings: Record<string, string | boolean | number>;
}

/** The SCIM type a mapping key needs: `emails[type eq "work"].value` → `emails.value`; URN prefixes kept. */
function typeOf(doc: MappingDoc, key: string): ScimType {
  for (const [urn, attrs] of Object.entries(doc.extensions ?? {})) {
    if (key.startsWith(urn + ':')) {
      const t = attrs[key.slice(urn.length + 1)];
      assert.ok(t, `${key}: not declared under extensions`);
      return t;
    }
  }
  const t = CORE[key.replace(/\[[^\]]*\]/, '')];
  assert.ok(t, `${key}: attribute not known to this test`);
  return t;
}

function fits(type: ScimType, v: unknown): boolean {
  switch (type) {
    case 'string': return typeof v === 'string';
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'decimal': return typeof v === 'number';
    case 'dateTime': return typeof v === 'string' && XSD_DATETIME.test(v);
  }
}

/** undefined, null, "" and [] omit the attribute (mapping format v1). */
const omitted = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

interface Evaluated {
  doc: MappingDoc;
  records: SourceRecord[];
  warnings: string[];
  /** Per record: mapping key → value (omitted attributes left out). */
  results: Array<Record<string, unknown>>;
}

async function evaluateSample(mappingFile: string): Promise<Evaluated> {
  const doc = parseYaml(readFileSync(mappingFile, 'utf8')) as MappingDoc;
  const stream = openRecords(join(dirname(mappingFile), doc.source.sample), { format: doc.source.format });
  const records: SourceRecord[] = [];
  for await (const r of stream) records.push(r);

  const bindings: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(doc.let ?? {})) bindings[name] = await jsonata(expr).evaluate({}, bindings);
  const compiled = Object.entries(doc.mappings).map(([key, v]) => ({
    key,
    type: typeOf(doc, key),
    expr: typeof v === 'string' ? jsonata(v) : undefined,
    constant: v,
  }));

  const results: Array<Record<string, unknown>> = [];
  for (const rec of records) {
    const out: Record<string, unknown> = {};
    for (const m of compiled) {
      let v: unknown;
      try {
        v = m.expr ? await m.expr.evaluate(rec.value, bindings) : m.constant;
      } catch (e) {
        assert.fail(`record ${rec.index} (line ${rec.line}), ${m.key}: ${(e as Error).message}`);
      }
      if (omitted(v)) continue;
      assert.ok(fits(m.type, v), `record ${rec.index} (line ${rec.line}), ${m.key}: ${JSON.stringify(v)} is not a SCIM ${m.type}`);
      out[m.key] = v;
    }
    results.push(out);
  }
  return { doc, records, warnings: stream.warnings.map((w) => w.message), results };
}

const SAMPLES = [
  { dir: 'workday', mapping: 'workday.scimmap.yaml', min: 120, max: 200 },
  { dir: 'successfactors', mapping: 'successfactors.scimmap.yaml', min: 200, max: 400 },
  { dir: 'custom-hr', mapping: 'custom-hr.scimmap.yaml', min: 50, max: 150 },
];

for (const sample of SAMPLES) {
  describe(`sample ${sample.dir}`, () => {
    let ev: Evaluated;
    const values = (key: string): unknown[] => ev.results.map((r) => r[key]);
    before(async () => {
      ev = await evaluateSample(join(samplesDir, sample.dir, sample.mapping));
    });

    it('has the mapping format v1 header and an Entra target', () => {
      assert.equal(ev.doc.scimmap, 1);
      assert.equal(ev.doc.target, 'entra');
      assert.equal(typeof ev.doc.name, 'string');
      assert.ok(ev.doc.source.key && ev.doc.source.key in ev.records[0].value, 'source.key is a field of the records');
    });

    it(`reads ${sample.min}–${sample.max} records without warnings`, () => {
      assert.ok(ev.records.length >= sample.min && ev.records.length <= sample.max, `${ev.records.length} records`);
      assert.deepEqual(ev.warnings, []);
    });

    it('evaluates every mapping on every record with the right JSON types', () => {
      assert.equal(ev.results.length, ev.records.length);
    });

    it('always maps externalId, userName and active', () => {
      for (const [i, r] of ev.results.entries()) {
        for (const k of ['externalId', 'userName', 'active']) assert.ok(k in r, `record ${i}: ${k} missing`);
      }
    });

    it('has unique externalIds, valid unique UPNs and unique e-mails', () => {
      const ids = values('externalId');
      assert.equal(new Set(ids).size, ids.length, 'externalIds are unique');
      const upns = values('userName') as string[];
      for (const u of upns) assert.match(u, UPN);
      assert.equal(new Set(upns.map((u) => u.toLowerCase())).size, upns.length, 'userNames are unique');
      const mails = values('emails[type eq "work"].value').filter((m) => m !== undefined) as string[];
      assert.equal(new Set(mails.map((m) => m.toLowerCase())).size, mails.length, 'e-mails are unique');
    });

    it('never sends an e-mail element without a value', () => {
      for (const r of ev.results) {
        if ('emails[type eq "work"].primary' in r) assert.ok('emails[type eq "work"].value' in r, String(r.externalId));
      }
    });

    it('has manager references to other records, and top-level people without a manager', () => {
      const ids = new Set(values('externalId'));
      const key = `${ENTERPRISE}:manager.value`;
      let topLevel = 0;
      for (const r of ev.results) {
        if (r[key] === undefined) topLevel++;
        else {
          assert.ok(ids.has(r[key]), `manager ${String(r[key])} of ${String(r.externalId)} is not an externalId in the file`);
          assert.notEqual(r[key], r.externalId);
        }
      }
      assert.ok(topLevel >= 1 && topLevel <= 5, `${topLevel} top-level people`);
    });

    it('has terminated workers, hard names and missing optional values', () => {
      assert.ok(values('active').includes(false), 'some inactive');
      assert.ok(values('active').includes(true), 'some active');
      const names = values('name.familyName') as string[];
      assert.ok(names.some((n) => n.includes("'")), 'an apostrophe');
      assert.ok(names.some((n) => /[^\x00-\x7f]/.test(n)), 'diacritics');
      assert.ok(values('phoneNumbers[type eq "mobile"].value').includes(undefined), 'someone without a mobile');
      assert.ok(values('title').includes(undefined), 'someone without a title');
      const upn = ev.results.find((r) => r['name.givenName'] === 'Seán' && r['name.familyName'] === "O'Brien")?.userName;
      assert.match(String(upn), /^sean\.obrien@/);
    });

    it('maps dateTime extension attributes as full xsd:dateTime values', () => {
      const dateKeys = Object.keys(ev.doc.mappings).filter((k) => typeOf(ev.doc, k) === 'dateTime');
      assert.ok(dateKeys.length >= 1);
      const hire = dateKeys.find((k) => k.endsWith(':HireDate'));
      assert.ok(hire, 'a HireDate attribute');
      for (const r of ev.results) assert.match(String(r[hire]), XSD_DATETIME);
    });
  });
}

describe('sample details', () => {
  it('Workday dates keep their offset: 2020-03-16-07:00 → 2020-03-16T00:00:00-07:00', async () => {
    const ev = await evaluateSample(join(samplesDir, 'workday', 'workday.scimmap.yaml'));
    const key = 'urn:ietf:params:scim:schemas:extension:contoso:1.0:User:HireDate';
    ev.records.forEach((rec, i) => {
      const raw = (rec.value.Employment as { Hire_Date: string }).Hire_Date;
      assert.match(raw, /^\d{4}-\d{2}-\d{2}-0[78]:00$/);
      assert.equal(ev.results[i][key], `${raw.slice(0, 10)}T00:00:00${raw.slice(10)}`);
    });
  });

  it('the custom HR export is ;-separated with a BOM, CRLF and multi-line cells', async () => {
    const bytes = readFileSync(join(samplesDir, 'custom-hr', 'people.csv'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.ok(bytes.includes('\r\n'));
    const ev = await evaluateSample(join(samplesDir, 'custom-hr', 'custom-hr.scimmap.yaml'));
    assert.ok(ev.records.some((r) => String(r.value.Notes).includes('\n')), 'a multi-line Notes cell');
    assert.ok(ev.records.some((r) => String(r.value.Office).includes(';')), 'a value containing ;');
    assert.ok(ev.results.some((r) => r['emails[type eq "work"].value'] === undefined), 'someone without a mailbox');
  });

  it('the committed samples are exactly what scripts/gen-samples.mjs writes', () => {
    const out = tempDir('scimmap-samples-');
    try {
      execFileSync(process.execPath, [join(repo, 'scripts', 'gen-samples.mjs'), out], { stdio: 'pipe' });
      for (const dir of readdirSync(out)) {
        for (const file of readdirSync(join(out, dir))) {
          assert.ok(readFileSync(join(out, dir, file)).equals(readFileSync(join(samplesDir, dir, file))), `${dir}/${file} differs: run node scripts/gen-samples.mjs`);
        }
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
