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

/**
 * Ids already held elsewhere before the stream starts (the sync state's table), so the externalId index need not
 * copy them. Entries 0..size-1 (as of the tracker's construction) must keep their numbers while the stream runs;
 * entries added later are ignored here (their ids go to the tracker's own index), so every id has one fixed home.
 */
export interface KnownIds {
  readonly size: number;
  /** Entry number of `id`, or -1. */
  find(id: string): number;
}

export class DuplicateTracker {
  private readonly externalIds = new IdIndex();
  private readonly userNames = new IdIndex();
  /** With `known`: record + 1 where each known id was first seen (0: not yet); 4 bytes per id, not an index copy. */
  private readonly firstOfKnown?: Uint32Array;
  /** Set by `check` when the record repeats another one (for the sample diagnostics). */
  match?: DuplicateMatch;

  constructor(private readonly policy: DuplicatePolicy = 'error', private readonly latest?: IdIndex, private readonly known?: KnownIds) {
    if (policy === 'last' && !latest) throw new Error('source.duplicates: last needs the latest record per externalId (a first pass over the input)');
    if (known && policy !== 'last') this.firstOfKnown = new Uint32Array(known.size);
  }

  /** Where `ext` was first seen, adding it as first seen at `i` when new. */
  private firstSeenExternalId(ext: string, i: number): number | undefined {
    const firsts = this.firstOfKnown;
    if (firsts) {
      const e = this.known!.find(ext);
      if (e >= 0 && e < firsts.length) {
        const f = firsts[e]!;
        if (f !== 0) return f - 1;
        if (i >= 0xffffffff) throw new RangeError('more than 4294967294 records');
        firsts[e] = i + 1;
        return undefined;
      }
    }
    return this.externalIds.firstSeen(ext, i);
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
        const first = this.firstSeenExternalId(ext, i);
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
