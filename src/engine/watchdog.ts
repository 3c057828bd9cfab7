/**
 * The evaluation probe: the evaluation loops call `probe(key, record)` right before evaluating a mapping on a
 * record. Nothing listens by default (one call and a check per evaluation). The CLI installs a probe that
 * feeds a watchdog thread, because jsonata's timeout cannot interrupt a regular expression that backtracks;
 * the language server bounds its evaluation worker from outside instead (service/evaluationHost.ts).
 */
export type EvaluationProbe = (key: string, record: number) => void;

/** The key a caller probes with before the `let` bindings of a record (or of the whole sample) are evaluated. */
export const LET_BINDINGS = '\u0000let';

let current: EvaluationProbe | undefined;

export function setEvaluationProbe(fn: EvaluationProbe | undefined): void {
  current = fn;
}

/** `key`: the mapping key about to be evaluated; `record`: the 0-based record index (-1: not per record). */
export function probe(key: string, record: number): void {
  if (current !== undefined) current(key, record);
}
