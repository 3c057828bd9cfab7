/** `scimmap` entry point: dispatches to one module per command. */
import { CliIO, Command, EXIT_USAGE, UsageError } from './io';
import { commands } from './commands';
import { startWatchdog } from './watchdog';
import { createInterface } from 'node:readline/promises';

async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

const VERSION = '0.1.0';

function topHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'scimmap — map HR records to SCIM 2.0 users for Microsoft Entra API-driven inbound provisioning',
    '',
    'Usage: scimmap <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `scimmap <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(topHelp());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`scimmap: unknown command '${name}' (commands: ${commands.map((c) => c.name).join(', ')})\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`scimmap ${name}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    // Unexpected: still one line, no stack trace (set SCIMMAP_DEBUG=1 for the stack).
    const err = e as Error;
    io.stderr.write(`scimmap ${name}: internal error: ${err?.message ?? String(e)}\n`);
    if (io.env.SCIMMAP_DEBUG) io.stderr.write(`${err?.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}

export async function main(argv: string[]): Promise<number> {
  // `scimmap preview … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  return runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    signal: controller.signal,
    watchdog: startWatchdog,
    confirm: process.stdin.isTTY ? confirmOnTerminal : undefined,
  });
}
