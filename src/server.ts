/**
 * The SCIM Mapper language server: a thin LSP adapter over the pure language service and the evaluation
 * worker. Runs over node IPC (the VS Code client) or stdio (`scimmap-language-server`, for other editors).
 * Every handler is guarded: an exception or a cancellation answers empty and is logged, never fatal.
 */
import * as path from 'node:path';
import {
  createConnection, DidChangeWatchedFilesNotification, DocumentDiagnosticReport, FileChangeType, ProposedFeatures, TextDocuments,
  TextDocumentSyncKind, InitializeResult, Diagnostic, DiagnosticSeverity, Position, TextDocumentContentChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ClientSupport, clientSupport } from './lsp/clientSupport';
import { FileWatcher } from './lsp/fileWatcher';
import { PositionCodec } from './lsp/positions';
import { LanguageService, filePathOf } from './service/languageService';
import { EvaluationHost, EvaluationTimeout } from './service/evaluationHost';
import type { FeatureContext, RecordValues, SampleSummary } from './service/context';
import {
  CreateTestParams, CreateTestResult, ExportBulkParams, ExportBulkResult, ImpactParams, ImpactResult, ImportCsv2ScimParams, RunTestsParams, RunTestsResult, TestCasesParams, TestCasesResult, ImportCsv2ScimResult, PreviewData, PreviewParams, Requests, ScaffoldParams, ScaffoldResult, SelectRecordParams,
  StatusNotification, StatusParams, WorkerResponse, WorkspaceTrustNotification, WorkspaceTrustParams,
} from './service/protocol';
import { WorkspaceTrust } from './service/trust';
import { nodeFileHost } from './engine/analysis/host';
import { scaffoldFromFile } from './engine/scaffold';
import { ImportFileError, importCsv2ScimFiles } from './migrate/csv2scim/files';
import { appendCase } from './review/editTests';
import { readTestText } from './review/files';
import { parseTestFile, testFileOf } from './review/testFile';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import { expressionTextOf } from './engine/validate';
import * as features from './service/features';
import { expressionDiagnostics, syntheticMapping } from './service/jsonataDocument';

const connection = createConnection(ProposedFeatures.all);
/** What the client declared in `initialize` (nothing until then). */
let support: ClientSupport = clientSupport({ capabilities: {} });
let codec = new PositionCodec('utf-16', () => undefined);
// Incremental changes arrive in the negotiated encoding: converted one by one, each against the text it applies to.
const documents = new TextDocuments({
  create: TextDocument.create,
  update: (document: TextDocument, changes: TextDocumentContentChangeEvent[], version: number) => {
    if (codec.identity) return TextDocument.update(document, changes, version);
    for (const c of changes) {
      const lines = linesOfText(document.getText());
      const converted = 'range' in c ? { ...c, range: new PositionCodec(codec.encoding, () => lines).toServerRange(document.uri, c.range) } : c;
      TextDocument.update(document, [converted], version);
    }
    return document;
  },
});
// Trusted unless the client says otherwise (initializationOptions.workspaceTrusted: false); set in onInitialize.
const trust = new WorkspaceTrust();
const service = new LanguageService({ host: trust.host(nodeFileHost) });
const log = (m: string) => connection.console.log(m);
const hardLimitMs = Number(process.env.SCIMMAP_EVAL_HARD_LIMIT_MS ?? 10_000);
const evaluation = new EvaluationHost(path.join(__dirname, 'evalWorker.js'), hardLimitMs, log);

interface DocState {
  /** Version whose sample results are in `sample`/`record`/`sampleDiagnostics`. */
  version?: number;
  sample?: SampleSummary;
  record?: RecordValues;
  recordIndex: number | null;
  /** Sample records on which some mapping fails, from the last sample run (status bar). */
  failingRecords?: number;
  skippedRecords?: number;
  timer?: NodeJS.Timeout;
  /** `key\0text` of expressions that ran past the hard limit: skipped until their text changes. */
  poisoned: Set<string>;
  /** Diagnostics of a hang, kept while the expression is skipped. */
  hangDiagnostics: Map<string, Diagnostic>;
  /** The last complete diagnostics (for pull requests), and who waits for the next ones. */
  diagnostics?: { version: number; items: Diagnostic[]; resultId: string };
  waiting: Array<() => void>;
  /** What the last pull request of this document was answered (a later change of it asks the client to pull again). */
  served?: { version: number; resultId: string };
}
const states = new Map<string, DocState>();
const stateOf = (uri: string): DocState => {
  let s = states.get(uri);
  if (!s) states.set(uri, (s = { recordIndex: 0, poisoned: new Set(), hangDiagnostics: new Map(), waiting: [] }));
  return s;
};

const isMapping = (uri: string) => /\.scimmap\.ya?ml$/i.test(uri);
const isJsonata = (uri: string) => /\.jsonata$/i.test(uri);
const debounceMs = Number(process.env.SCIMMAP_DEBOUNCE_MS ?? 60);

/** Runs a handler; any exception answers `fallback` instead of killing the server. */
function guard<P, R>(name: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
  return async (p: P) => {
    try {
      return await fn(p);
    } catch (e) {
      log(`${name} failed: ${(e as Error)?.stack ?? String(e)}`);
      return fallback;
    }
  };
}

/** Line texts of a text, split the way TextDocument counts lines (\r\n, \n, \r). */
function linesOfText(text: string): (line: number) => string {
  const lines = text.split(/\r\n|\r|\n/);
  return (n) => lines[n] ?? '';
}

const MAX_CONVERTED_FILE = 20 * 1024 * 1024;
/** Lines of an open document, else of a file on disk (a definition in the sample): for UTF-8 column conversions. */
function linesOf(uri: string): ((line: number) => string) | undefined {
  const d = documents.get(uri);
  if (d) return linesOfText(d.getText());
  try {
    const u = URI.parse(uri);
    if (u.scheme !== 'file' || !trust.mayRead(u.fsPath) || fs.statSync(u.fsPath).size > MAX_CONVERTED_FILE) return undefined;
    return linesOfText(fs.readFileSync(u.fsPath, 'utf8'));
  } catch {
    return undefined;
  }
}

const out = <T>(uri: string, value: T): T => codec.toClient(uri, value);

connection.onInitialize((params): InitializeResult => {
  const folders = (params.workspaceFolders ?? []).map((f) => URI.parse(f.uri)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
  if (!folders.length && params.rootUri) {
    const u = URI.parse(params.rootUri);
    if (u.scheme === 'file') folders.push(u.fsPath);
  }
  trust.configure(params.initializationOptions, folders);
  if (!trust.trusted) log('workspace not trusted (Restricted Mode): static checks only; no sample is read, no file outside the workspace folders');
  support = clientSupport(params);
  codec = new PositionCodec(support.positionEncoding, linesOf);
  return {
    capabilities: {
      positionEncoding: support.positionEncoding,
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', '$', '[', '"', ':', ' '], resolveProvider: false },
      hoverProvider: true,
      signatureHelpProvider: { triggerCharacters: ['(', ','] },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      documentLinkProvider: { resolveProvider: false },
      renameProvider: { prepareProvider: true },
      inlayHintProvider: true,
      ...(support.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'scimmap-language-server', version: '0.1.0' },
  };
});

// Trust granted: full features without a reload (re-analyse with file reads, run the sample checks).
connection.onNotification(WorkspaceTrustNotification, (p: WorkspaceTrustParams) => {
  const next = p?.trusted === true;
  if (next === trust.trusted) return;
  trust.trusted = next;
  log(`workspace ${next ? 'trusted: full features' : 'not trusted: static checks only'}`);
  service.forget();
  for (const doc of documents.all()) if (isMapping(doc.uri)) schedule(doc);
});

/** Watches sample and schema files itself when the client cannot register watchers. */
let watcher: FileWatcher | undefined;

connection.onInitialized(() => {
  // Sample and schema files change outside the editor: the client watches them when it can register
  // watchers; otherwise the server does.
  if (support.watchedFilesRegistration) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*.{csv,tsv,txt,json,jsonl,ndjson}' }],
    }).catch((e) => log(`registering file watchers failed: ${(e as Error)?.message}`));
  } else {
    watcher = new FileWatcher((file, event) => filesChanged([{ file, changed: event === 'changed' }]), log);
    updateWatches();
  }
});

/** The sample and schema files of the open mappings, for the server's own watcher. */
function updateWatches(): void {
  if (!watcher) return;
  const files = new Set<string>();
  for (const doc of documents.all()) {
    if (!isMapping(doc.uri)) continue;
    try {
      const a = service.analyze(doc);
      // Restricted Mode: only files the server may read (never the sample).
      if (a.samplePath && trust.trusted) files.add(a.samplePath);
      for (const f of a.schemas.files) if (trust.mayRead(f)) files.add(f);
      // The saved provisioning app schema and SCIM server discovery: re-pulling them re-validates.
      for (const f of [a.app?.path, a.server?.path]) if (f && trust.mayRead(f)) files.add(f);
    } catch {
      /* analysis failures are reported by validate */
    }
  }
  watcher.set(files);
}

function refreshInlayHints(): void {
  if (support.inlayHintRefresh) void connection.languages.inlayHint.refresh().catch(() => undefined);
}

function context(document: TextDocument): FeatureContext {
  const s = stateOf(document.uri);
  return { document, analysis: service.analyze(document), sample: s.sample, record: s.recordIndex === null ? undefined : s.record };
}

function schedule(document: TextDocument): void {
  const s = stateOf(document.uri);
  if (s.timer) clearTimeout(s.timer);
  s.timer = setTimeout(() => void validate(document.uri), debounceMs);
}

async function validate(uri: string): Promise<void> {
  const document = documents.get(uri);
  if (!document) return;
  const s = stateOf(uri);
  const version = document.version;
  let analysis;
  try {
    analysis = service.analyze(document);
  } catch (e) {
    log(`analysis failed: ${(e as Error)?.stack}`);
    return;
  }
  updateWatches();
  // Forget hangs of expressions whose text has changed.
  for (const k of [...s.poisoned]) {
    const key = k.split('\u0000')[0];
    if (`${key}\u0000${expressionTextOf(analysis, key)}` !== k) {
      s.poisoned.delete(k);
      s.hangDiagnostics.delete(k);
    }
  }
  // `sample`: this run's record counts; without it the counts of the last sample run stay (static-only publish).
  const publish = (engineDiagnostics: Parameters<LanguageService['toDiagnostics']>[1], sample?: { records: number; failing: number; skipped: number }) => {
    const current = documents.get(uri);
    if (!current || current.version !== version) return false;
    const diagnostics = [...service.toDiagnostics(document, engineDiagnostics), ...s.hangDiagnostics.values()];
    deliver(uri, version, diagnostics);
    const status: StatusParams = {
      uri,
      errors: diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length,
      warnings: diagnostics.filter((d) => d.severity === DiagnosticSeverity.Warning).length,
      failingRecords: sample ? sample.failing : s.failingRecords ?? 0,
      skippedRecords: sample ? sample.skipped : s.skippedRecords ?? 0,
      records: sample ? sample.records : s.sample?.count ?? 0,
    };
    void connection.sendNotification(StatusNotification, status);
    return true;
  };
  if (!trust.trusted) {
    // Restricted Mode: static checks, and one note on source.sample saying what trust turns on.
    s.sample = undefined;
    s.record = undefined;
    s.failingRecords = 0;
    s.skippedRecords = 0;
    const note = trust.note(analysis);
    publish(note ? [...analysis.diagnostics, note] : analysis.diagnostics);
    return;
  }
  if (!analysis.samplePath || !analysis.sampleExists) {
    s.sample = undefined;
    s.record = undefined;
    s.failingRecords = 0;
    s.skippedRecords = 0;
    publish(analysis.diagnostics);
    return;
  }
  let res: WorkerResponse;
  try {
    res = await evaluation.request({ type: 'validate', uri, version, text: document.getText(), filePath: filePathOf(uri), recordIndex: s.recordIndex ?? 0, skip: [...s.poisoned] });
  } catch (e) {
    if (e instanceof EvaluationTimeout && e.key) {
      const poisonKey = `${e.key}\u0000${expressionTextOf(analysis, e.key)}`;
      s.poisoned.add(poisonKey);
      const entry = analysis.mappings.find((m) => m.entry.key.value === e.key)?.entry;
      const binding = analysis.lets.find((l) => `$${l.binding.name.value}` === e.key);
      const span = binding ? binding.expression.source : entry ? (entry.value.kind === 'expression' ? entry.value.expression : entry.value.span) : { start: 0, end: 0 };
      s.hangDiagnostics.set(poisonKey, {
        range: { start: document.positionAt(span.start), end: document.positionAt(span.end) },
        severity: DiagnosticSeverity.Error, code: 'sample-error', source: 'scimmap',
        message: `Evaluating this expression on the sample did not finish within ${hardLimitMs / 1000} s (a regular expression that backtracks, or a loop?). It is skipped until you change it.`,
      });
      // Validate again without the hanging expression.
      if (documents.get(uri)?.version === version) schedule(document);
      return;
    }
    if ((e as Error).message === 'evaluation worker restarted') {
      // Queued behind a request that hung: the worker was replaced, so this version was never validated.
      if (documents.get(uri)?.version === version) schedule(document);
      return;
    }
    if ((e as Error).message === 'disposed') return;
    log(`sample validation failed: ${(e as Error).message}`);
    publish(analysis.diagnostics);
    return;
  }
  if (res.type !== 'validated') {
    if (res.type === 'error') log(`sample validation failed: ${res.message}`);
    publish(analysis.diagnostics);
    return;
  }
  if (publish(res.diagnostics, { records: res.sample?.count ?? 0, failing: res.failingRecords ?? 0, skipped: res.skippedRecords ?? 0 })) {
    const hadRecord = !!s.record;
    s.failingRecords = res.failingRecords ?? 0;
    s.skippedRecords = res.skippedRecords ?? 0;
    s.version = version;
    s.sample = res.sample;
    s.record = res.record;
    if (hadRecord || s.record) refreshInlayHints();
  }
}

let results = 0;
/** Pushes diagnostics, or keeps them for the client's next pull (and asks it to pull when they changed after one). */
function deliver(uri: string, version: number, diagnostics: Diagnostic[]): void {
  const s = stateOf(uri);
  if (!support.pullDiagnostics) {
    void connection.sendDiagnostics(out(uri, { uri, version, diagnostics }));
    return;
  }
  const same = s.diagnostics?.version === version && JSON.stringify(s.diagnostics.items) === JSON.stringify(diagnostics);
  if (!same) s.diagnostics = { version, items: diagnostics, resultId: String(++results) };
  for (const w of s.waiting.splice(0)) w();
  if (!same && s.served?.version === version && s.served.resultId !== s.diagnostics!.resultId && support.diagnosticRefresh) {
    void connection.languages.diagnostics.refresh().catch(() => undefined);
  }
}

/** Pull diagnostics: those of the document's current version, once its validation (sample checks included) is done. */
async function pullDiagnostics(uri: string, previousResultId: string | undefined): Promise<DocumentDiagnosticReport> {
  const d = documents.get(uri);
  if (!d) return { kind: 'full', items: [] };
  if (isJsonata(uri)) return { kind: 'full', items: out(uri, jsonataDiagnostics(d)) };
  if (!isMapping(uri)) return { kind: 'full', items: [] };
  const s = stateOf(uri);
  const deadline = Date.now() + hardLimitMs + 5_000;
  for (let round = 0; round < 20 && Date.now() < deadline; round++) {
    const current = documents.get(uri);
    if (!current) return { kind: 'full', items: [] };
    // Validation is scheduled by every change; wait for the one of this version.
    if (s.diagnostics?.version === current.version) break;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      s.waiting.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  const r = s.diagnostics;
  if (!r) return { kind: 'full', items: [] };
  s.served = { version: r.version, resultId: r.resultId };
  if (previousResultId === r.resultId) return { kind: 'unchanged', resultId: r.resultId };
  return { kind: 'full', resultId: r.resultId, items: out(uri, r.items) };
}

function jsonataDiagnostics(d: TextDocument): Diagnostic[] {
  const syn = syntheticMapping(d);
  const diagnostics = expressionDiagnostics(syn, service.staticDiagnostics(syn.document), d.getText());
  service.forget(syn.document.uri);
  return diagnostics;
}

documents.onDidChangeContent((e) => {
  if (isMapping(e.document.uri)) schedule(e.document);
  else if (isJsonata(e.document.uri) && !support.pullDiagnostics) {
    try {
      const diagnostics = jsonataDiagnostics(e.document);
      void connection.sendDiagnostics(out(e.document.uri, { uri: e.document.uri, version: e.document.version, diagnostics }));
    } catch (err) {
      log(`jsonata diagnostics failed: ${(err as Error)?.stack}`);
    }
  }
});
documents.onDidClose((e) => {
  const s = states.get(e.document.uri);
  if (s?.timer) clearTimeout(s.timer);
  for (const w of s?.waiting.splice(0) ?? []) w();
  states.delete(e.document.uri);
  service.forget(e.document.uri);
  if (!support.pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  updateWatches();
});

/** A sample or schema file changed on disk (`changed: false`: created or deleted): validate the mappings that use it. */
function filesChanged(changes: { file: string; changed: boolean }[]): void {
  for (const { file, changed } of changes) {
    evaluation.notify({ type: 'forget', path: file });
    for (const doc of documents.all()) {
      if (!isMapping(doc.uri)) continue;
      const a = service.analyze(doc);
      const affected = a.samplePath === file || a.schemas.files.includes(file) || a.app?.path === file || a.server?.path === file || !changed;
      if (affected) {
        service.forget(doc.uri);
        schedule(doc);
      }
    }
  }
}

connection.onDidChangeWatchedFiles(guard('watched files', undefined, (p) => {
  const changes: { file: string; changed: boolean }[] = [];
  for (const change of p.changes) {
    const file = filePathOf(change.uri);
    if (file) changes.push({ file, changed: change.type === FileChangeType.Changed });
  }
  filesChanged(changes);
}));

const docOf = (uri: string) => {
  const d = documents.get(uri);
  return d && isMapping(uri) ? d : undefined;
};

/** Runs a feature on a mapping, or on the synthetic mapping around a standalone .jsonata file (results shifted back). */
function onDocument<R>(uri: string, run: (ctx: FeatureContext, toSynthetic: (p: Position) => Position) => R): R | null {
  const d = documents.get(uri);
  if (!d) return null;
  if (isMapping(uri)) return run(context(d), (p) => p);
  if (!isJsonata(uri)) return null;
  const syn = syntheticMapping(d);
  const ctx: FeatureContext = { document: syn.document, analysis: service.analyze(syn.document) };
  try {
    return syn.toOriginal(run(ctx, syn.toSynthetic));
  } finally {
    service.forget(syn.document.uri);
  }
}

/** A position feature: the client's position converted in, the result's positions converted out. */
function atPosition<R>(uri: string, position: Position, run: (ctx: FeatureContext, pos: Position) => R): R | null {
  const pos = codec.toServer(uri, position);
  return out(uri, onDocument(uri, (ctx, toSynthetic) => run(ctx, toSynthetic(pos))));
}

/** A whole-document feature of mappings only (results converted out). */
function onMapping<R>(uri: string, fallback: R, run: (ctx: FeatureContext) => R): R {
  const d = docOf(uri);
  return d ? out(uri, run(context(d))) : fallback;
}

connection.onCompletion(guard('completion', null, (p) => atPosition(p.textDocument.uri, p.position, (ctx, pos) => features.doComplete(ctx, pos, { snippets: support.snippets }))));
connection.onHover(guard('hover', null, (p) => atPosition(p.textDocument.uri, p.position, (ctx, pos) => features.doHover(ctx, pos))));
connection.onSignatureHelp(guard('signature help', null, (p) => atPosition(p.textDocument.uri, p.position, (ctx, pos) => features.doSignatureHelp(ctx, pos))));
// Quick fixes read where each diagnostic applies from its data.origin (the server's offsets), never from the
// client's ranges. The actions name the client's own diagnostics, in its coordinates: set aside while positions
// are shifted (.jsonata) and converted, then given back as the client sent them.
connection.onCodeAction(guard('code actions', [], (p) => {
  const sent = p.context.diagnostics;
  const copies = sent.map((d) => structuredClone(d));
  const uri = p.textDocument.uri;
  const actions = onDocument(uri, (ctx) => [...features.doCodeActions(ctx, p.range, copies), ...(isMapping(uri) ? features.recordCodeActions(ctx, copies) : [])]) ?? [];
  const named = actions.map((a) => a.diagnostics?.map((d) => sent[copies.indexOf(d)] ?? d));
  for (const a of actions) delete a.diagnostics;
  return out(uri, actions).map((a, i) => (named[i] ? { ...a, diagnostics: named[i] } : a));
}));
connection.onDocumentSymbol(guard('symbols', [], (p) => onMapping(p.textDocument.uri, [], (ctx) => features.doDocumentSymbols(ctx))));
connection.onFoldingRanges(guard('folding', [], (p) => onMapping(p.textDocument.uri, [], (ctx) => features.doFoldingRanges(ctx))));
connection.onDefinition(guard('definition', null, (p) => onMapping(p.textDocument.uri, null, (ctx) => features.doDefinition(ctx, codec.toServer(p.textDocument.uri, p.position)))));
connection.onDocumentLinks(guard('links', [], (p) => onMapping(p.textDocument.uri, [], (ctx) => features.doDocumentLinks(ctx))));
connection.onPrepareRename(guard('prepare rename', null, (p) => onMapping(p.textDocument.uri, null, (ctx) => features.prepareRename(ctx, codec.toServer(p.textDocument.uri, p.position)))));
connection.onRenameRequest(guard('rename', null, (p) => onMapping(p.textDocument.uri, null, (ctx) => features.doRename(ctx, codec.toServer(p.textDocument.uri, p.position), p.newName))));
connection.languages.inlayHint.on(guard('inlay hints', [], (p) => onMapping(p.textDocument.uri, [], (ctx) => features.doInlayHints(ctx, codec.toServerRange(p.textDocument.uri, p.range)))));
connection.languages.diagnostics.on(guard('pull diagnostics', { kind: 'full', items: [] } as DocumentDiagnosticReport, (p) => pullDiagnostics(p.textDocument.uri, p.previousResultId)));

connection.onRequest(Requests.preview, guard('preview', null as PreviewData | null, async (p: PreviewParams) => {
  const d = docOf(p.uri);
  if (!d || !trust.trusted) return null;
  const res = await evaluation.request({ type: 'preview', uri: p.uri, version: d.version, text: d.getText(), filePath: filePathOf(p.uri), recordIndex: p.recordIndex ?? 0, skip: [...stateOf(p.uri).poisoned] });
  return res.type === 'preview' ? res.preview : null;
}));

connection.onRequest(Requests.exportBulk, guard('export', null as ExportBulkResult | null, async (p: ExportBulkParams) => {
  const d = docOf(p.uri);
  if (!d || !trust.trusted) return null;
  const res = await evaluation.request({ type: 'bulk', uri: p.uri, text: d.getText(), filePath: filePathOf(p.uri), skip: [...stateOf(p.uri).poisoned] });
  return res.type === 'bulk' ? { requests: res.requests, failed: res.failed, source: res.source, blocked: res.blocked, refused: res.refused } : null;
}));

connection.onRequest(Requests.selectRecord, guard('select record', null, async (p: SelectRecordParams) => {
  const s = stateOf(p.uri);
  s.recordIndex = p.recordIndex;
  if (p.recordIndex === null) s.record = undefined;
  const d = docOf(p.uri);
  if (d) await validate(d.uri);
  refreshInlayHints();
  return null;
}));

connection.onRequest(Requests.scaffold, guard('scaffold', null as ScaffoldResult | null, (p: ScaffoldParams) => scaffoldFromFile(p.path)));
connection.onRequest(Requests.importCsv2Scim, guard('import csv2scim', null as ImportCsv2ScimResult | null, async (p: ImportCsv2ScimParams): Promise<ImportCsv2ScimResult> => {
  try {
    return await importCsv2ScimFiles(p);
  } catch (e) {
    if (e instanceof ImportFileError) return { mapped: 0, todo: 0, diagnostics: [], error: e.message };
    throw e;
  }
}));

/** A file's text as the editor has it (unsaved edits included), else from disk. */
function textOf(uri: string): string | undefined {
  const open = documents.get(uri);
  if (open) return open.getText();
  const file = filePathOf(uri);
  if (!file) return undefined;
  try {
    return readTestText(file);
  } catch {
    return undefined;
  }
}

connection.onRequest(Requests.testCases, guard('test cases', null as TestCasesResult | null, (p: TestCasesParams): TestCasesResult | null => {
  const file = filePathOf(p.uri);
  const text = textOf(p.uri);
  if (!file || text === undefined) return null;
  const t = parseTestFile(text, file);
  return { mappingUri: pathToFileURL(t.mappingPath).toString(), cases: t.cases.map((c) => ({ name: c.name, index: c.index, line: c.line })), problems: t.problems.map((x) => ({ message: x.message, line: x.line })) };
}));

connection.onRequest(Requests.runTests, guard('run tests', null as RunTestsResult | null, async (p: RunTestsParams): Promise<RunTestsResult | null> => {
  const testPath = filePathOf(p.uri);
  const testText = textOf(p.uri);
  if (!testPath || testText === undefined) return null;
  if (!trust.trusted) return { mappingUri: '', cases: [], problems: ['Restricted Mode: mapping tests read the sample and evaluate the mapping. Trust this workspace to run them.'] };
  const mappingPath = parseTestFile(testText, testPath).mappingPath;
  const mappingUri = pathToFileURL(mappingPath).toString();
  const text = textOf(mappingUri);
  if (text === undefined) return { mappingUri, cases: [], problems: [`the mapping ${path.basename(mappingPath)} cannot be read`] };
  const res = await evaluation.request({ type: 'tests', uri: mappingUri, text, filePath: mappingPath, skip: [...stateOf(mappingUri).poisoned], testText, testPath, names: p.names });
  if (res.type === 'error') return { mappingUri, cases: [], problems: [res.message] };
  return res.type === 'tests' ? res.result : null;
}));

connection.onRequest(Requests.createTest, guard('create test', null as CreateTestResult | null, async (p: CreateTestParams): Promise<CreateTestResult | null> => {
  const d = docOf(p.uri);
  const mappingPath = filePathOf(p.uri);
  if (!d || !mappingPath || !trust.trusted) return null;
  const res = await evaluation.request({ type: 'preview', uri: p.uri, version: d.version, text: d.getText(), filePath: mappingPath, recordIndex: p.recordIndex, skip: [...stateOf(p.uri).poisoned] });
  const sel = res.type === 'preview' ? res.preview.selected : undefined;
  if (!sel) return null;
  const testPath = testFileOf(mappingPath);
  const testUri = pathToFileURL(testPath).toString();
  const existing = documents.get(testUri)?.getText() ?? (fs.existsSync(testPath) ? readTestText(testPath) : undefined);
  const { text, name } = appendCase(existing, testPath, mappingPath, { key: sel.key, recordNumber: sel.index + 1, resource: sel.resource, errors: sel.errors });
  const line = parseTestFile(text, testPath).cases.find((c) => c.name === name)?.line ?? 0;
  return { testUri, text, name, line };
}));

connection.onRequest(Requests.impact, guard('impact', null as ImpactResult | null, async (p: ImpactParams): Promise<ImpactResult | null> => {
  const d = docOf(p.uri);
  if (!d || !trust.trusted) return null;
  const res = await evaluation.request({ type: 'impact', uri: p.uri, text: d.getText(), filePath: filePathOf(p.uri), skip: [...stateOf(p.uri).poisoned], baseText: p.baseText });
  return res.type === 'impact' ? { impact: res.impact, records: res.records, baseErrors: res.baseErrors } : null;
}));

process.on('uncaughtException', (e) => log(`uncaught: ${e?.stack ?? e}`));
process.on('unhandledRejection', (e) => log(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
connection.onShutdown(() => {
  watcher?.close();
  for (const s of states.values()) {
    if (s.timer) clearTimeout(s.timer);
    for (const w of s.waiting.splice(0)) w();
  }
  evaluation.dispose();
});

documents.listen(connection);
connection.listen();
