/**
 * For clients that cannot register file watchers (`workspace/didChangeWatchedFiles` without dynamic
 * registration): the server watches the sample and schema files of open mappings itself. One `fs.watch` per
 * directory (editors and exports often replace a file instead of writing it, which a watch on the file itself
 * would miss), bounded in number, debounced per file, closed on shutdown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FileEvent = 'changed' | 'created' | 'deleted';

export class FileWatcher {
  private readonly dirs = new Map<string, { watcher: fs.FSWatcher; files: Set<string> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly existed = new Map<string, boolean>();
  private readonly unwatchable = new Set<string>();
  private closed = false;

  constructor(
    private readonly onChange: (file: string, event: FileEvent) => void,
    private readonly log: (m: string) => void,
    private readonly debounceMs = 100,
    private readonly maxDirs = 64,
  ) {}

  /** Watches exactly `files` (absolute paths) from now on. */
  set(files: Iterable<string>): void {
    if (this.closed) return;
    const wanted = new Map<string, Set<string>>();
    for (const f of files) {
      const dir = path.dirname(f);
      if (!wanted.has(dir)) wanted.set(dir, new Set());
      wanted.get(dir)!.add(path.basename(f));
    }
    for (const f of this.existed.keys()) if (!wanted.get(path.dirname(f))?.has(path.basename(f))) this.existed.delete(f);
    for (const d of this.unwatchable) if (!wanted.has(d)) this.unwatchable.delete(d);
    for (const [dir, entry] of this.dirs) {
      if (!wanted.has(dir)) {
        entry.watcher.close();
        this.dirs.delete(dir);
      }
    }
    for (const [dir, names] of wanted) {
      const entry = this.dirs.get(dir);
      if (entry) {
        entry.files = names;
      } else {
        if (this.dirs.size >= this.maxDirs) {
          if (!this.unwatchable.has(dir)) this.log(`not watching ${dir}: already watching ${this.maxDirs} folders`);
          this.unwatchable.add(dir);
          continue;
        }
        try {
          const watcher = fs.watch(dir, { persistent: false }, (_event, name) => this.event(dir, name?.toString()));
          watcher.on('error', (e) => {
            this.log(`watching ${dir} failed: ${e.message}`);
            watcher.close();
            this.dirs.delete(dir);
          });
          this.dirs.set(dir, { watcher, files: names });
        } catch (e) {
          // A folder that does not exist (yet): tried again on the next call, reported once.
          if (!this.unwatchable.has(dir)) this.log(`cannot watch ${dir}: ${(e as Error).message}`);
          this.unwatchable.add(dir);
          continue;
        }
        this.unwatchable.delete(dir);
      }
      for (const n of names) {
        const f = path.join(dir, n);
        if (!this.existed.has(f)) this.existed.set(f, fs.existsSync(f));
      }
    }
  }

  private event(dir: string, name: string | undefined): void {
    const entry = this.dirs.get(dir);
    if (!entry || this.closed) return;
    // Without a name (rare, platform-dependent) any watched file of the folder may have changed.
    const names = name ? (entry.files.has(name) ? [name] : []) : [...entry.files];
    for (const n of names) {
      const file = path.join(dir, n);
      clearTimeout(this.timers.get(file));
      this.timers.set(file, setTimeout(() => {
        this.timers.delete(file);
        if (this.closed) return;
        const exists = fs.existsSync(file);
        const before = this.existed.get(file);
        this.existed.set(file, exists);
        this.onChange(file, !exists ? 'deleted' : before === false ? 'created' : 'changed');
      }, this.debounceMs));
    }
  }

  get watchedFolders(): number {
    return this.dirs.size;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const { watcher } of this.dirs.values()) watcher.close();
    this.dirs.clear();
  }
}
