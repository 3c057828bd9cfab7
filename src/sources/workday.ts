/**
 * Workday Report-as-a-Service: one GET of the report URL with `format=json`; the rows are `Report_Entry`.
 * RaaS reports are not paged by Workday (report prompts narrow them); paging settings still apply if a proxy pages.
 * Dates stay as Workday writes them (`2020-03-16-07:00`): convert with $workdayDate in the mapping.
 */
import type { HttpFlavour } from './rest';
import { withQuery } from './paging';

export const workdayFlavour: HttpFlavour = {
  recordsPath: 'Report_Entry',
  firstUrl(c) {
    const u = new URL(withQuery(c.url, c.query));
    if (!u.searchParams.has('format')) u.searchParams.set('format', 'json');
    return u.href;
  },
};
