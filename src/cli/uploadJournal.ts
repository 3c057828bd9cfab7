import { join, resolve } from 'node:path';
import { UsageError } from './io';
import { cliStateDirectory, ensurePrivateDir, gitWorkTreeOf, journalKey } from '../delivery/stateDir';
import { hashText, InputIdentity, Journal, JournalError } from '../delivery/journal';

export interface JournalRequest {
  endpoint: string;
  mappingText: string;
  input: () => Promise<InputIdentity>;
  /** --resume FILE, or --journal FILE; neither: a new journal in the private state directory. */
  resume?: string;
  journal?: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The warning for a --journal inside a git work tree (the wording is the target's). */
  inRepository: (path: string, repo: string, uploadsDir: string) => string;
}

/** Opens (or resumes) an upload's journal; a refused or unreadable journal is a usage error. */
export async function openUploadJournal(o: JournalRequest, err: (line: string) => void): Promise<Journal> {
  try {
    const identity = { endpoint: o.endpoint, mappingHash: hashText(o.mappingText), input: await o.input() };
    const stateDir = cliStateDirectory(o.env);
    const key = journalKey(stateDir);
    if (o.resume) return Journal.resume(resolve(o.cwd, o.resume), identity, key);
    const path = o.journal ? resolve(o.cwd, o.journal) : join(ensurePrivateDir(join(stateDir, 'uploads')), `${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
    const repo = o.journal ? gitWorkTreeOf(path) : undefined;
    if (repo) err(o.inRepository(path, repo, join(stateDir, 'uploads')));
    return Journal.create(path, identity, key);
  } catch (e) {
    if (e instanceof JournalError) throw new UsageError(e.message);
    if ((e as NodeJS.ErrnoException).code) throw new UsageError(`cannot open the journal or input: ${(e as Error).message}`);
    throw e;
  }
}
