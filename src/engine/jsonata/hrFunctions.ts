/**
 * JSONata helpers for HR values, registered on every expression compiled for evaluation (compile.ts) and listed
 * in the catalog (catalog.ts) for completion, hover and signature help. An absent value gives an absent result
 * (the attribute is left out), like jsonata's own functions; text that cannot be read fails the record with a message.
 */
import { odataV2DateToIso, parseWithPicture, workdayDateToIso } from '../hrDates';

function fail(fn: string, message: string): never {
  const e = new Error(`$${fn}: ${message}`) as Error & { code: string };
  e.code = 'HR01';
  throw e;
}

export const HR_FUNCTIONS: Array<{ name: string; signature: string; fn: (...args: unknown[]) => unknown }> = [
  {
    name: 'hrDate',
    signature: '<s-s:s>',
    fn(value: unknown, picture: unknown) {
      if (value === undefined || value === '') return undefined;
      const r = parseWithPicture(String(value), String(picture));
      return 'iso' in r ? r.iso : fail('hrDate', r.error);
    },
  },
  {
    name: 'workdayDate',
    signature: '<s-:s>',
    fn(value: unknown) {
      if (value === undefined || value === '') return undefined;
      return workdayDateToIso(String(value)) ?? fail('workdayDate', `"${String(value).slice(0, 60)}" is not a Workday date (2020-03-16-07:00 or 2020-03-16T08:00:00-07:00)`);
    },
  },
  {
    name: 'sfDate',
    signature: '<s-:s>',
    fn(value: unknown) {
      if (value === undefined || value === '') return undefined;
      const s = String(value);
      // The connector already converts /Date(…)/; an ISO value passes through so that a mapping works on both.
      if (/^\d{4}-\d{2}-\d{2}T[0-9:.]{5,18}Z$/.test(s)) return s;
      return odataV2DateToIso(s) ?? fail('sfDate', `"${s.slice(0, 60)}" is not an OData v2 date (/Date(1492098664000)/)`);
    },
  },
];

export function registerHrFunctions(expression: { registerFunction(name: string, fn: (...args: any[]) => any, signature?: string): void }): void {
  for (const f of HR_FUNCTIONS) expression.registerFunction(f.name, f.fn, f.signature);
}
