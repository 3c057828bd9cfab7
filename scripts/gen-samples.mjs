#!/usr/bin/env node
// Generates the fictional HR samples under samples/ deterministically (seeded PRNG, no clock, no
// locale-dependent calls): re-running writes byte-identical files. All people are invented.
// Usage: node scripts/gen-samples.mjs [outDir]   (outDir defaults to samples/; the tests use a temp dir
// to check that the committed files are what this script writes)
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from './prng.mjs';

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'samples');


// ---------------------------------------------------------------------------------------------
// Names. Diacritics, apostrophes, particles and hyphens on purpose; combinations are random.
const FIRST = [
  'José', 'Zoë', 'Seán', 'Minh', 'François', 'Ingrid', 'Søren', 'Åsa', 'Björn', 'Chloé', 'Renée', 'Noémie',
  'Łukasz', 'Małgorzata', 'Věra', 'Jiří', 'Ana', 'Lucía', 'Álvaro', 'Íñigo', 'Nuño', 'Thảo', 'Quỳnh', 'Đức',
  'Siobhán', 'Aoife', 'Niamh', 'Pádraig', 'Grace', 'Olivia', 'Liam', 'Noah', 'Emma', 'Mia', 'Lucas', 'Amara',
  'Kwame', 'Aisha', 'Priya', 'Rohan', 'Mei', 'Hiroshi', 'Yuki', 'Fatma', 'Gökhan', 'Şebnem', 'Ömer', 'Mateus',
  'João', 'Conceição', 'Hélène', 'Anaïs', 'Maëlle', 'Jürgen', 'Günther', 'Käthe', 'Mette', 'Øystein', 'Eero',
  'Päivi', 'Tomás', 'Ramón', 'Inés', 'Daniel', 'Sarah', 'David', 'Rachel', 'Samuel', 'Leah', 'Marcus', 'Elena',
];
/** Legal first name → a preferred name some people use. */
const NICK = {
  Olivia: 'Liv', Daniel: 'Dan', Samuel: 'Sam', Rachel: 'Rae', 'Małgorzata': 'Gosia', 'Íñigo': 'Iñi', Elena: 'Lena',
  'Pádraig': 'Paddy', Jürgen: 'Jürg', Marcus: 'Marc', David: 'Dave', Hiroshi: 'Hiro',
};
const LAST = [
  'Álvarez', 'Ørsted', "O'Brien", 'Nguyễn', 'Lefèvre', 'Müller', 'Šimková', 'Dvořáková', 'Kowalczyk', 'Wiśniewski',
  'García-Márquez', 'Núñez', 'Peña', 'Ibáñez', 'Trần', 'Phạm', 'Lê', "D'Angelo", "O'Connor", "Ní Bhriain",
  'Mac Giolla', 'van der Berg', 'de la Cruz', 'da Silva', 'dos Santos', 'Gonçalves', 'Strømberg', 'Åkesson',
  'Lindqvist', 'Jørgensen', 'Nieminen', 'Häkkinen', 'Öztürk', 'Yılmaz', 'Çelik', 'Smith', 'Johnson', 'Okafor',
  'Mensah', 'Patel', 'Iyer', 'Tanaka', 'Sato', 'Chen', 'Wang', 'Kim', 'Brown', 'Taylor', 'Wilson', 'Martin',
  'Bernard', 'Dubois', 'Fournier', 'Rossi', 'Bianchi', 'Ferrari', 'Hoffmann', 'Schäfer', 'Weiß', 'Köhler',
  'Zielińska', 'Horváth', 'Szabó', 'Novák', 'Petrović', 'Jovanović', 'Kovačić', 'Ó Súilleabháin', 'MacDonald',
];
const MIDDLE = ['Marie', 'James', 'Anne', 'Luis', 'Thị', 'Văn', 'Eoin', 'Sofía', 'Maria', 'Kofi'];
/** Every sample has these people (at random places), so the tricky cases are always present. */
const FIXED = [
  ['José', 'Álvarez'], ['Zoë', 'Ørsted'], ['Seán', "O'Brien"], ['Minh', 'Nguyễn'], ['Noémie', 'van der Berg'],
  ['Łukasz', 'Wiśniewski'], ['Åsa', 'García-Márquez'], ['Đức', 'Trần'],
];

/** Same folding as the `ascii` function of the mappings: lower case, diacritics off, only [a-z0-9-]. */
const FOLD = [
  [/[àáâãäåāăąạảấầẩẫậắằẳẵặ]/g, 'a'], [/[æ]/g, 'ae'], [/[çćč]/g, 'c'], [/[ďđð]/g, 'd'],
  [/[èéêëēėęěẹẻẽếềểễệ]/g, 'e'], [/[ğ]/g, 'g'], [/[ìíîïīįıịỉĩ]/g, 'i'], [/[łľĺ]/g, 'l'], [/[ñńňņ]/g, 'n'],
  [/[òóôõöøōőơọỏốồổỗộớờởỡợ]/g, 'o'], [/[œ]/g, 'oe'], [/[řŕ]/g, 'r'], [/[śšşș]/g, 's'], [/[ß]/g, 'ss'],
  [/[ťţț]/g, 't'], [/[þ]/g, 'th'], [/[ùúûüūůűųưụủứừửữự]/g, 'u'], [/[ýÿỳỵỷỹ]/g, 'y'], [/[źżž]/g, 'z'],
  [/[^a-z0-9-]/g, ''],
];
export function fold(s) {
  let out = s.toLowerCase();
  for (const [re, rep] of FOLD) out = out.replace(re, rep);
  return out;
}

/** `n` people with unique folded "first.last" (so the mappings' UPNs are unique). */
function people(r, n) {
  const out = [];
  const seen = new Set();
  const add = (first, last) => {
    const k = `${fold(first)}.${fold(last)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    out.push({ first, last, local: k });
    return true;
  };
  for (const [f, l] of FIXED) add(f, l);
  while (out.length < n) add(r.pick(FIRST), r.pick(LAST));
  // Fisher-Yates, so that the fixed people land anywhere in the org chart (some are terminated)
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Assigns managers: person 0 and a few others are top-level (no manager); everybody else reports to an
 * earlier active manager. Terminated people are never managers, so every reference is to a current worker.
 */
function orgChart(r, list, { roots = 2, managerShare = 0.18, terminatedShare = 0.1 } = {}) {
  list.forEach((p, i) => {
    p.terminated = i >= roots + 6 && r.chance(terminatedShare);
    p.isManager = i < roots + 4 || (!p.terminated && r.chance(managerShare));
  });
  list.forEach((p, i) => {
    if (i < roots) return;
    const candidates = list.slice(0, i).filter((m) => m.isManager && !m.terminated);
    p.manager = r.pick(candidates.slice(0, Math.max(1, Math.min(candidates.length, 4 + i))));
  });
}

/** Unique numeric ids in [lo, hi], in random order. */
function ids(r, n, lo, hi) {
  const set = new Set();
  while (set.size < n) set.add(r.int(lo, hi));
  return [...set];
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

/** A random date between two years as [y, m, d]. */
function date(r, fromYear, toYear) {
  const y = r.int(fromYear, toYear);
  const m = r.int(1, 12);
  const d = r.int(1, [31, y % 4 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]);
  return [y, m, d];
}
const iso = ([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`;
const after = (r, [y, m, d], maxYear) => {
  for (;;) {
    const t = date(r, y, maxYear);
    if (iso(t) > iso([y, m, d])) return t;
  }
};

/** US Pacific offset on a date: DST from the 2nd Sunday of March to the 1st Sunday of November. */
function pacificOffset([y, m, d]) {
  const dow = (yy, mm, dd) => new Date(Date.UTC(yy, mm - 1, dd)).getUTCDay();
  const secondSundayMarch = 8 + ((7 - dow(y, 3, 8)) % 7);
  const firstSundayNov = 1 + ((7 - dow(y, 11, 1)) % 7);
  const afterStart = m > 3 || (m === 3 && d >= secondSundayMarch);
  const beforeEnd = m < 11 || (m === 11 && d < firstSundayNov);
  return afterStart && beforeEnd ? '-07:00' : '-08:00';
}
/** Workday renders dates with the tenant's UTC offset: 2020-03-16-07:00. */
const workdayDate = (t) => `${iso(t)}${pacificOffset(t)}`;

function phone(r, cc, area) {
  return `+${cc} ${area} 555 ${pad(r.int(100, 199), 4)}`;
}

function write(rel, text) {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

function csv(rows, delimiter, eol) {
  const cell = (v) => {
    const s = v ?? '';
    return s.includes(delimiter) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((row) => row.map(cell).join(delimiter)).join(eol) + eol;
}

// ---------------------------------------------------------------------------------------------
// Workday: nested JSON as a RaaS report would return it (the report's Report_Entry array).
function workday() {
  const r = prng(20240316);
  const n = 160;
  const list = people(r, n);
  orgChart(r, list, { roots: 2 });
  const workerIds = ids(r, n, 100001, 109999);
  const orgs = [
    { dept: 'Executive Office', division: 'Corporate', cc: ['CC1000', 'Executive'], jobs: ['Chief Executive Officer', 'Chief of Staff'] },
    { dept: 'Software Engineering', division: 'Product & Technology', cc: ['CC2100', 'Engineering'], jobs: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'Principal Engineer'] },
    { dept: 'IT Operations', division: 'Product & Technology', cc: ['CC2200', 'IT'], jobs: ['Systems Administrator', 'Identity Engineer', 'IT Support Specialist'] },
    { dept: 'Finance', division: 'Corporate', cc: ['CC3100', 'Finance & Accounting'], jobs: ['Accountant', 'Financial Analyst', 'Controller'] },
    { dept: 'People & Culture', division: 'Corporate', cc: ['CC3200', 'Human Resources'], jobs: ['HR Business Partner', 'Recruiter', 'Payroll Specialist'] },
    { dept: 'Sales EMEA', division: 'Go-to-Market', cc: ['CC4100', 'Sales, EMEA'], jobs: ['Account Executive', 'Sales Director', 'Solutions Consultant'] },
    { dept: 'Customer Success', division: 'Go-to-Market', cc: ['CC4200', 'Customer Success'], jobs: ['Customer Success Manager', 'Support Engineer'] },
  ];
  const sites = [
    { Name: 'Seattle HQ', City: 'Seattle', Country_ISO_Code: 'US', cc: 1, area: 206 },
    { Name: 'Seattle HQ', City: 'Seattle', Country_ISO_Code: 'US', cc: 1, area: 206 },
    { Name: 'Montréal', City: 'Montréal', Country_ISO_Code: 'CA', cc: 1, area: 514 },
    { Name: 'Dublin', City: 'Dublin', Country_ISO_Code: 'IE', cc: 353, area: 1 },
    { Name: 'Madrid', City: 'Madrid', Country_ISO_Code: 'ES', cc: 34, area: 91 },
    { Name: 'Copenhagen', City: 'København', Country_ISO_Code: 'DK', cc: 45, area: 33 },
    { Name: 'Ho Chi Minh City', City: 'Thành phố Hồ Chí Minh', Country_ISO_Code: 'VN', cc: 84, area: 28 },
    { Name: 'Remote - US', City: null, Country_ISO_Code: 'US', cc: 1, area: 425 },
  ];
  list.forEach((p, i) => (p.id = String(workerIds[i])));
  const records = list.map((p, i) => {
    const org = i === 0 ? orgs[0] : r.pick(orgs.slice(1));
    const site = r.pick(sites);
    const hire = date(r, 2009, 2024);
    const contractor = i === 1 || r.chance(0.08);
    const legal = { First_Name: p.first, ...(r.chance(0.2) ? { Middle_Name: r.pick(MIDDLE) } : {}), Last_Name: p.last };
    const nick = NICK[p.first];
    const personal = { Legal_Name: legal, ...(nick && r.chance(0.8) ? { Preferred_Name: { First_Name: nick, Last_Name: p.last } } : {}) };
    const title = i === 0 ? 'Chief Executive Officer' : p.isManager && r.chance(0.5) ? `Head of ${org.dept}` : r.pick(org.jobs);
    const position = {
      Position_ID: `P-${pad(i + 1, 5)}`,
      ...(r.chance(0.06) ? {} : { Business_Title: title }),
      Job_Profile: r.pick(org.jobs),
      Department: org.dept,
      Division: org.division,
      Company: 'Contoso Ltd',
      Cost_Center: { ID: org.cc[0], Name: org.cc[1] },
      Location: { Name: site.Name, ...(site.City ? { City: site.City } : {}), Country_ISO_Code: site.Country_ISO_Code },
      ...(p.manager ? { Manager_ID: p.manager.id } : {}),
    };
    const employment = {
      Status: p.terminated ? 'Terminated' : 'Active',
      Hire_Date: workdayDate(hire),
      ...(p.terminated ? { Termination_Date: workdayDate(after(r, hire, 2025)) } : {}),
      Position: position,
    };
    const contact = {
      Work_Email: `${p.local}@contoso.com`,
      ...(r.chance(0.1) ? {} : { Work_Phone: phone(r, site.cc, site.area) }),
      ...(r.chance(0.35) ? {} : { Mobile: phone(r, site.cc, site.area + 1) }),
    };
    return {
      Worker_ID: p.id,
      Worker_Type: contractor ? 'Contingent_Worker' : 'Employee',
      Personal: personal,
      Employment: employment,
      Contact: contact,
    };
  });
  records.sort((a, b) => a.Worker_ID.localeCompare(b.Worker_ID, 'en'));
  write('workday/workers.json', JSON.stringify(records, null, 2) + '\n');
  return records.length;
}

// ---------------------------------------------------------------------------------------------
// SuccessFactors: the flat user export (comma, LF, no BOM, "NO_MANAGER" for top-level people,
// ISO 3166 alpha-3 countries).
function successFactors() {
  const r = prng(20191104);
  const n = 300;
  const list = people(r, n);
  orgChart(r, list, { roots: 3 });
  const userIds = ids(r, n, 800000, 899999);
  list.forEach((p, i) => (p.id = String(userIds[i])));
  const divisions = [
    { division: 'Corporate Services', depts: [['Finance', 'FIN-100'], ['Legal & Compliance', 'LEG-110'], ['Human Resources', 'HR-120']] },
    { division: 'Manufacturing', depts: [['Plant Operations', 'OPS-200'], ['Quality Assurance', 'QA-210'], ['Supply Chain', 'SCM-220']] },
    { division: 'Research & Development', depts: [['Product Development', 'RND-300'], ['Data Science', 'RND-310']] },
    { division: 'Commercial', depts: [['Sales', 'SAL-400'], ['Marketing', 'MKT-410']] },
  ];
  const titles = ['Analyst', 'Senior Analyst', 'Specialist', 'Engineer', 'Team Lead', 'Director, Operations', 'Manager', 'Coordinator', 'Technician'];
  const sites = [
    ['Walldorf', 'DEU', 49, 6227], ['München', 'DEU', 49, 89], ['Zürich', 'CHE', 41, 44], ['Wien', 'AUT', 43, 1],
    ['Kraków', 'POL', 48, 12], ['Lisboa', 'PRT', 351, 21], ['Newtown Square', 'USA', 1, 610], ['São Paulo', 'BRA', 55, 11],
  ];
  const header = [
    'userId', 'personIdExternal', 'status', 'firstName', 'lastName', 'nickname', 'email', 'businessPhone', 'cellPhone',
    'title', 'department', 'division', 'company', 'costCenter', 'location', 'country', 'managerId', 'hireDate', 'lastModified',
  ];
  const rows = list.map((p, i) => {
    const div = i === 0 ? divisions[0] : r.pick(divisions);
    const [dept, cc] = r.pick(div.depts);
    const [city, country, ccode, area] = r.pick(sites);
    const hire = date(r, 2005, 2024);
    return [
      p.id,
      p.id,
      p.terminated ? 'inactive' : 'active',
      p.first,
      p.last,
      NICK[p.first] && r.chance(0.7) ? NICK[p.first] : '',
      `${p.local}@fabrikam.com`,
      r.chance(0.12) ? '' : phone(r, ccode, area),
      r.chance(0.4) ? '' : phone(r, ccode, area + 1),
      i === 0 ? 'Chief Executive Officer' : r.chance(0.07) ? '' : r.pick(titles),
      dept,
      div.division,
      'Fabrikam, Inc.',
      cc,
      city,
      country,
      p.manager ? p.manager.id : 'NO_MANAGER',
      iso(hire),
      `${iso(after(r, [2024, 12, 31], 2025))}T${pad(r.int(6, 20))}:${pad(r.int(0, 59))}:${pad(r.int(0, 59))}Z`,
    ];
  });
  rows.sort((a, b) => a[0].localeCompare(b[0], 'en'));
  write('successfactors/employees.csv', csv([header, ...rows], ',', '\n'));
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// A home-grown HR database export: BOM, CRLF, ';', dd.mm.yyyy dates, a multi-line Notes column,
// values containing ';', Status Active / On leave / Left.
function customHr() {
  const r = prng(4512);
  const n = 90;
  const list = people(r, n);
  orgChart(r, list, { roots: 2, terminatedShare: 0.12 });
  const empNos = ids(r, n, 1, 4999);
  list.forEach((p, i) => (p.id = `E${pad(empNos[i], 5)}`));
  const depts = [['Toy Design', 'TD-01'], ['Warehouse', 'WH-02'], ['Retail Stores', 'RS-03'], ['Back Office', 'BO-04'], ['IT', 'IT-05']];
  const offices = ['Leeds; Building 2', 'Leeds; Building 3', 'Cork', 'Bilbao', 'Tromsø', 'Brno'];
  const dmy = ([y, m, d]) => `${pad(d)}.${pad(m)}.${y}`;
  const header = [
    'EmpNo', 'GivenName', 'Surname', 'PreferredName', 'Email', 'Phone', 'Mobile', 'JobTitle', 'Dept', 'CostCode',
    'BadgeNumber', 'Grade', 'EmployeeType', 'HireDate', 'LeaveDate', 'Status', 'ManagerEmpNo', 'Office', 'Notes',
  ];
  const notes = ['', '', '', '', 'Part-time (Mon-Wed)', 'Returning from parental leave;\r\nconfirm laptop', 'Key holder', 'Relocated from Cork\r\n(2022)'];
  const rows = list.map((p, i) => {
    const [dept, cost] = i === 0 ? depts[3] : r.pick(depts);
    const hire = date(r, 2001, 2024);
    const status = p.terminated ? 'Left' : r.chance(0.06) ? 'On leave' : 'Active';
    const warehouse = dept === 'Warehouse';
    return [
      p.id,
      p.first,
      p.last,
      NICK[p.first] && r.chance(0.6) ? NICK[p.first] : '',
      warehouse && r.chance(0.5) ? '' : `${p.local}@tailspintoys.com`, // shop-floor staff often have no mailbox
      r.chance(0.3) ? '' : `+44 113 555 ${pad(r.int(100, 999), 4)}`,
      r.chance(0.5) ? '' : `+44 7700 900${pad(r.int(0, 999), 3)}`,
      i === 0 ? 'Managing Director' : r.chance(0.1) ? '' : r.pick(['Designer', 'Picker', 'Store Assistant', 'Clerk', 'Technician', 'Team Leader']),
      dept,
      cost,
      pad(r.int(1, 99999), 6),
      String(r.int(1, 9)),
      r.chance(0.15) ? 'Contractor' : 'Permanent',
      dmy(hire),
      p.terminated ? dmy(after(r, hire, 2025)) : '',
      status,
      p.manager ? p.manager.id : '',
      r.pick(offices),
      r.pick(notes),
    ];
  });
  rows.sort((a, b) => a[0].localeCompare(b[0], 'en'));
  write('custom-hr/people.csv', '\uFEFF' + csv([header, ...rows], ';', '\r\n'));
  return rows.length;
}

const counts = { workday: workday(), successfactors: successFactors(), 'custom-hr': customHr() };
console.log(Object.entries(counts).map(([k, v]) => `samples/${k}: ${v} records`).join('\n'));
