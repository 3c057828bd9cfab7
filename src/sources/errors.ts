/** Errors of the source connectors: one line that names the connector and, for HTTP, the page. Never a secret. */
export class SourceError extends Error {
  constructor(
    readonly connector: string,
    message: string,
    readonly page?: number,
  ) {
    super(`${connector} source${page !== undefined ? `, page ${page}` : ''}: ${message}`);
    this.name = 'SourceError';
  }
}
