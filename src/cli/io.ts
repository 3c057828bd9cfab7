/** What a CLI command may touch: streams and environment are injected so tests run commands in-process. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** For questions asked on a terminal (`scimmap test --update`); absent or not a TTY: never asked. */
  stdin?: NodeJS.ReadableStream;
  /** Aborted on SIGINT; long-running commands (upload, stand-in) stop cleanly. */
  signal?: AbortSignal;
  /**
   * Starts the hard time limit per evaluation (cli/watchdog.ts), which ends the process on a hang. Only the
   * real process supplies it: in-process callers (tests) run without.
   */
  watchdog?: (limitSeconds: number) => { stop(): void };
  /** Asks a yes/no question on the terminal; absent when stdin is not a terminal (then `--yes` is required). */
  confirm?: (question: string) => Promise<boolean>;
}

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A usage or I/O problem: printed as one line, exit 2, never a stack trace. */
export class UsageError extends Error {}

export interface Command {
  name: string;
  summary: string;
  /** Full help text for `scimmap <name> --help`. */
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}
