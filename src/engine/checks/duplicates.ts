/**
 * Duplicates across a stream of records, in bounded memory (ids live in IdIndex byte arenas, not JS strings).
 * - externalId: `source.duplicates` decides. `error` (default): every later record with a known externalId
 *   fails. `first`: later ones are skipped with a warning. `last`: earlier ones are skipped; this needs the
 *   latest record per externalId in advance (`latestIndexes`, a first pass over the input).
 * - userName: two records with the same sign-in name (case-insensitive) are two people claiming one account:
 *   always a record error, whatever `source.duplicates` says.
 */
import type { DuplicatePolicy } from '../mapping/model';
import { IdIndex } from '../transform/idIndex';
import type { TransformResult } from '../transform/record';

/** The duplicate the last `check` found: which attribute, its value, and the record it repeats. */
export interface DuplicateMatch {
  attribute: 'externalId' | 'userName';
  value: string;
  other: number;
}

export class DuplicateTracker {
  private readonly externalIds = new IdIndex();
  private readonly userNames = new IdIndex();
  /** Set by `check` when the record repeats another one (for the sample diagnostics). */
  match?: DuplicateMatch;

  constructor(private readonly policy: DuplicatePolicy = 'error', private readonly latest?: IdIndex) {
    if (policy === 'last' && !latest) throw new Error('source.duplicates: last needs the latest record per externalId (a first pass over the input)');
  }

  /** Adds the result's findings: an error, or `skipped` when another record with its externalId wins. */
  check(result: TransformResult): void {
    const ext = result.resource.externalId;
    const i = result.index;
    this.match = undefined;
    const at = (n: number) => `record ${n + 1}`;
    if (typeof ext === 'string' && ext !== '') {
      if (this.policy === 'last') {
        const winner = this.latest!.get(ext);
        if (winner !== undefined && winner !== i) {
          this.match = { attribute: 'externalId', value: ext, other: winner };
          result.skipped = { index: i, key: result.key, attribute: 'externalId', code: 'duplicate-skipped', message: `externalId ${JSON.stringify(ext)} appears again in ${at(winner)}; with source.duplicates: last that record is sent instead` };
          return;
        }
      } else {
        const first = this.externalIds.firstSeen(ext, i);
        if (first !== undefined) {
          this.match = { attribute: 'externalId', value: ext, other: first };
          if (this.policy === 'first') {
            result.skipped = { index: i, key: result.key, attribute: 'externalId', code: 'duplicate-skipped', message: `externalId ${JSON.stringify(ext)} was already sent with ${at(first)}; with source.duplicates: first this record is left out` };
            return;
          }
          result.errors.push({ index: i, key: result.key, attribute: 'externalId', code: 'duplicate-external-id', message: `externalId ${JSON.stringify(ext)} is also the externalId of ${at(first)}` });
          return; // the same person's record again: its userName repeats too, one error says it
        }
      }
    }
    const user = result.resource.userName;
    if (typeof user === 'string' && user !== '') {
      const first = this.userNames.firstSeen(user.toLowerCase(), i);
      if (first !== undefined) {
        this.match = { attribute: 'userName', value: user, other: first };
        result.errors.push({ index: i, key: result.key, attribute: 'userName', code: 'duplicate-user-name', message: `userName ${JSON.stringify(user)} is also the userName of ${at(first)} (sign-in names are unique, ignoring case)` });
      }
    }
  }
}

/** The latest record index per externalId, from (index, externalId) pairs in input order. */
export async function latestIndexes(ids: AsyncIterable<{ index: number; externalId: unknown }> | Iterable<{ index: number; externalId: unknown }>): Promise<IdIndex> {
  const latest = new IdIndex();
  for await (const { index, externalId } of ids) if (typeof externalId === 'string' && externalId !== '') latest.setLatest(externalId, index);
  return latest;
}
