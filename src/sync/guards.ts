/**
 * The accidental-deletion guards. A refusing guard stops the whole run before anything is sent (exit 3); the
 * `hold-disables` guard only holds back the disables (creates and updates still go).
 */
import type { SyncPlan } from './plan';

/** An absolute count or a share ("500", "10%"). */
export type Threshold = { count: number } | { percent: number };

export class ThresholdError extends Error {}

export function parseThreshold(raw: string, name: string): Threshold {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(raw.trim());
  if (!m) throw new ThresholdError(`${name}: expected a number or a percentage (e.g. 500 or 10%), got '${raw}'`);
  const v = Number(m[1]);
  if (m[2]) {
    if (v > 100) throw new ThresholdError(`${name}: a percentage is at most 100%, got '${raw}'`);
    return { percent: v };
  }
  if (!Number.isInteger(v)) throw new ThresholdError(`${name}: a count is a whole number, got '${raw}'`);
  return { count: v };
}

export function formatThreshold(t: Threshold): string {
  return 'count' in t ? String(t.count) : `${t.percent}%`;
}

/** Entra's own accidental-deletions threshold defaults to 500. */
export const DEFAULT_MAX_DISABLE: Threshold = { count: 500 };
export const DEFAULT_MIN_RECORDS: Threshold = { percent: 90 };

/** `server`: the target's own check before sending (SCIM: the service provider's schemas cannot take the mapping). */
export type GuardName = 'export-readable' | 'export-empty' | 'min-records' | 'max-disable' | 'hold-disables' | 'dataset' | 'server';

export interface GuardVerdict {
  guard: GuardName;
  /** `refuse`: nothing is sent; `hold`: the disables are not sent; `pass`. */
  verdict: 'pass' | 'refuse' | 'hold';
  message: string;
  /** How to override, when it refused. */
  override?: string;
}

export interface GuardInput {
  plan: SyncPlan;
  /** Records in the export of the last run that passed the guards (undefined: no earlier run). */
  lastExportRecords?: number;
  maxDisable: Threshold;
  minRecords: Threshold;
}

export function evaluateGuards(g: GuardInput): GuardVerdict[] {
  const { plan } = g;
  const out: GuardVerdict[] = [];
  if (plan.exportRecords === 0) {
    out.push({ guard: 'export-empty', verdict: 'refuse', message: 'the export has no records: refusing to treat everyone as a leaver', override: 'none: an empty export is never synced' });
  }

  const last = g.lastExportRecords;
  if (last === undefined || last === 0) {
    out.push({ guard: 'min-records', verdict: 'pass', message: 'no earlier run to compare the size of the export with' });
  } else {
    const min = 'count' in g.minRecords ? g.minRecords.count : Math.ceil((last * g.minRecords.percent) / 100);
    const share = ((plan.exportRecords / last) * 100).toFixed(1);
    out.push(
      plan.exportRecords < min
        ? {
            guard: 'min-records',
            verdict: 'refuse',
            message: `the export has ${plan.exportRecords} record(s), ${share}% of the last run's ${last}; the minimum is ${min} (--min-records ${formatThreshold(g.minRecords)}): a truncated HR file must not disable the company`,
            override: `if the export really shrank, run again with --min-records ${plan.exportRecords}`,
          }
        : { guard: 'min-records', verdict: 'pass', message: `the export has ${plan.exportRecords} record(s) (${share}% of the last run's ${last}; minimum ${min})` },
    );
  }

  const disables = plan.counts.disable;
  const max = 'count' in g.maxDisable ? g.maxDisable.count : Math.floor((plan.stateActive * g.maxDisable.percent) / 100);
  out.push(
    disables > max
      ? {
          guard: 'max-disable',
          verdict: 'refuse',
          message: `${disables} account(s) would be disabled, more than the ${max} allowed (--max-disable ${formatThreshold(g.maxDisable)}${'percent' in g.maxDisable ? ` of ${plan.stateActive} active` : ''})`,
          override: `check the export; if these people really left, run again with --max-disable ${disables}`,
        }
      : { guard: 'max-disable', verdict: 'pass', message: `${disables} disable(s), at most ${max} allowed` },
  );

  if (plan.unidentified > 0 && disables > 0) {
    out.push({
      guard: 'hold-disables',
      verdict: 'hold',
      message: `${plan.unidentified} record(s) failed the mapping before their externalId was known: any of them could be one of the ${disables} "leavers", so no one is disabled this run (creates and updates still go)`,
      override: 'fix the mapping errors listed below and run again',
    });
  }
  return out;
}

export function refused(verdicts: GuardVerdict[]): boolean {
  return verdicts.some((v) => v.verdict === 'refuse');
}

export function disablesHeld(verdicts: GuardVerdict[]): boolean {
  return verdicts.some((v) => v.verdict === 'hold');
}
