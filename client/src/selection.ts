// Which sample record is selected, per mapping. The preview, Select Sample Record and the inline values all follow it.
import * as vscode from 'vscode';

export class RecordSelection implements vscode.Disposable {
  private readonly indexes = new Map<string, number>();
  private readonly emitter = new vscode.EventEmitter<{ uri: vscode.Uri; index: number }>();
  readonly onDidChange = this.emitter.event;

  get(uri: vscode.Uri): number {
    return this.indexes.get(uri.toString()) ?? 0;
  }

  set(uri: vscode.Uri, index: number): void {
    if (this.indexes.get(uri.toString()) === index) return;
    this.indexes.set(uri.toString(), index);
    this.emitter.fire({ uri, index });
  }

  /** Corrects the index without notifying (the server clamped it to the records there are). */
  setQuietly(uri: vscode.Uri, index: number): void {
    this.indexes.set(uri.toString(), index);
  }

  forget(uri: vscode.Uri): void {
    this.indexes.delete(uri.toString());
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
