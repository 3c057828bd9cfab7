/**
 * SAP SuccessFactors OData v2: `<url>/<entity>?$format=json&$select=…&$expand=…&$filter=…`, server-side paging by
 * `d.__next`, effective dating by `fromDate`/`toDate` or `asOfDate`. `/Date(…)/` values come out as UTC xsd:dateTime.
 */
import type { SuccessFactorsSource } from '../engine/mapping/sourceFromModel';
import { convertODataV2Dates } from '../engine/hrDates';
import type { HttpFlavour } from './rest';

export const successFactorsFlavour: HttpFlavour = {
  recordsPath: 'd.results',
  firstUrl(config) {
    const c = config as SuccessFactorsSource;
    const base = c.entity ? `${c.url.replace(/\/+$/, '')}/${encodeURIComponent(c.entity)}` : c.url;
    const u = new URL(base);
    for (const [k, v] of Object.entries(c.query)) u.searchParams.set(k, v);
    const set = (k: string, v: string | number | undefined) => {
      if (v !== undefined && !u.searchParams.has(k)) u.searchParams.set(k, String(v));
    };
    set('$format', 'json');
    set('$select', c.select);
    set('$expand', c.expand);
    set('$filter', c.filter);
    set('customPageSize', c.pageSize); // server-side paging: at most 1000 per page; $top would cap the whole result
    set('asOfDate', c.asOfDate);
    set('fromDate', c.fromDate);
    set('toDate', c.toDate);
    return u.href;
  },
  record: (v) => convertODataV2Dates(v) as Record<string, unknown>,
};
