/**
 * A SCIM service provider as a sync target (src/sync/target.ts): changed records go through `sendToScim` (match by
 * externalId, then POST or PATCH/PUT, managers in a second pass; over /Bulk where the server supports it), leavers
 * through `deactivateOnScim` (one by one: the matched server user PATCHed to `active: false`, PUT where PATCH is
 * unsupported). Only what the server confirmed is recorded, per operation (a BulkResponse answers each one); a
 * leaver the server does not know fails (NotFound) and stays active in the state.
 */
import type { BulkRequest } from '../../engine/types';
import type { StateUpdate } from '../../sync/stateStore';
import type { SyncChange, SyncSendContext, SyncTarget } from '../../sync/target';
import type { DeliveryOptions } from '../../delivery/uploader';
import type { ScimClient } from './client';
import type { ServerProfile } from './discovery';
import { deactivateOnScim, sendToScim, splitManager, type ScimSendOptions } from './sender';

export interface ScimSyncOptions {
  /** Pacing and concurrency when the run gives none: 20 operations per second, 4 in flight (as for upload). */
  pacing?: DeliveryOptions['pacing'];
  concurrency?: number;
  /** /Bulk when the server supports it (default), as for upload; false: one user per request (`--no-bulk`). */
  bulk?: ScimSendOptions['bulk'];
}

const LINK_SUFFIX = ':manager';

export function scimSyncTarget(client: ScimClient, server: ServerProfile, o: ScimSyncOptions = {}): SyncTarget {
  const delivery = (ctx: SyncSendContext) => ({
    pacing: o.pacing ?? { maxCalls: 20, windowMs: 1000 },
    concurrency: o.concurrency,
    ...ctx.delivery,
    tokens: ctx.tokens,
    journal: ctx.journal,
    signal: ctx.signal,
    onProgress: ctx.onProgress,
    keepJournalOpen: ctx.keepJournalOpen,
    firstOrdinal: ctx.firstOrdinal,
  });
  return {
    destination: 'scim',
    url: client.endpoint.url,
    async send(changes: AsyncIterable<SyncChange>, ctx: SyncSendContext) {
      // The state entries (hash of the complete record) whose manager link is still to be confirmed, by pass-1
      // bulkId. Until it is, the state holds the hash of the record as sent in pass 1 (without its manager): that
      // differs from the plan's, so a link that failed is planned as an update and tried again by the next run.
      const pendingLinks = new Map<string, StateUpdate>();
      async function* requests(): AsyncIterable<BulkRequest> {
        for await (const c of changes) {
          // Our own bulkIds (never sent to the server) cannot contain the link suffix.
          const bulkId = `record-${c.index + 1}`;
          const entry = splitManager(c.resource).manager !== undefined ? ctx.recorder.entryOf(c.resource) : undefined;
          if (entry) pendingLinks.set(bulkId, entry);
          yield { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [{ method: 'POST', bulkId, path: '/Users', data: c.resource }] };
        }
      }
      return sendToScim(requests(), {
        ...delivery(ctx),
        client,
        server,
        bulk: o.bulk,
        onAccepted: (ops) => {
          for (const op of ops) {
            const id = String(op.bulkId ?? '');
            if (!id.endsWith(LINK_SUFFIX)) ctx.recorder.sent([op.data]);
            else {
              const key = id.slice(0, -LINK_SUFFIX.length);
              const entry = pendingLinks.get(key);
              if (entry) ctx.recorder.record([entry]);
              pendingLinks.delete(key);
            }
          }
        },
      });
    },
    deactivate(externalIds: Iterable<string>, ctx: SyncSendContext) {
      return deactivateOnScim(externalIds, {
        ...delivery(ctx),
        client,
        server,
        onAccepted: (ops) => ctx.recorder.deactivated(ops.map((op) => String(op.data.externalId))),
      });
    },
  };
}
