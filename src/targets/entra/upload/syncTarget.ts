/**
 * Entra's bulkUpload as a sync target (src/sync/target.ts): changed records go as complete records in bulk
 * requests of the mapping's size; a leaver is disabled with Microsoft's minimal payload (externalId, active:false),
 * which Entra matches to the account by externalId.
 */
import { deliverBatches } from '../../../delivery/uploader';
import type { DeliveryTarget } from '../../../delivery/transport';
import { bulkRequest, operationOf } from '../../../engine/transform/bulk';
import type { BulkOperation, BulkRequest } from '../../../engine/types';
import { disableOperation, externalIdOf } from '../../../sync/plan';
import type { SyncChange, SyncSendContext, SyncTarget } from '../../../sync/target';

export interface EntraSyncOptions {
  /** Operations per bulk request (the mapping's bulkSize). */
  bulkSize: number;
  /** The mapping's failOnErrors (bulk request field). */
  failOnErrors?: number | null;
}

async function* inBatches<T>(items: AsyncIterable<T> | Iterable<T>, toOp: (x: T) => BulkOperation, o: EntraSyncOptions): AsyncIterable<BulkRequest> {
  let ops: BulkOperation[] = [];
  for await (const x of items) {
    ops.push(toOp(x));
    if (ops.length >= o.bulkSize) {
      yield bulkRequest(ops, o.failOnErrors);
      ops = [];
    }
  }
  if (ops.length) yield bulkRequest(ops, o.failOnErrors);
}

function deliveryOptions(ctx: SyncSendContext) {
  return { ...ctx.delivery, tokens: ctx.tokens, journal: ctx.journal, signal: ctx.signal, onProgress: ctx.onProgress, keepJournalOpen: ctx.keepJournalOpen, firstOrdinal: ctx.firstOrdinal };
}

/** `target` is the bulkUpload delivery target (entraTarget). */
export function entraSyncTarget(target: DeliveryTarget, o: EntraSyncOptions): SyncTarget {
  return {
    destination: 'entra',
    url: target.url,
    send: (changes: AsyncIterable<SyncChange>, ctx: SyncSendContext) =>
      deliverBatches(inBatches(changes, (c) => operationOf(c.resource, c.index), o), {
        ...deliveryOptions(ctx),
        target,
        onAccepted: (ops) => ctx.recorder.sent(ops.map((op) => op.data)),
      }),
    deactivate: (externalIds: Iterable<string>, ctx: SyncSendContext) =>
      deliverBatches(inBatches(externalIds, disableOperation, o), {
        ...deliveryOptions(ctx),
        target,
        onAccepted: (ops) => ctx.recorder.deactivated(ops.map((op) => externalIdOf(op.data as Record<string, unknown>)).filter((id): id is string => id !== undefined)),
      }),
  };
}
