import type { ReceivedSnapshotPage, SnapshotRequest } from '../protocol.ts';
import type { SyncClient } from './client.ts';
import { MalformedSnapshot } from './snapshot-rows.ts';

/**
 * Walking the server's snapshot (GET /snapshot) page by page, as a first load does for every table
 * and a consistency check's repair for one: each page asked for is the page answered, and the
 * request for the next is the one its `next` names.
 */

/** The page the request names, refused whole when the server answered another. */
export async function snapshotPageFor(client: SyncClient, request: SnapshotRequest): Promise<ReceivedSnapshotPage> {
  const page = await client.snapshot(request);
  if (page.scope !== request.scope || (request.version !== undefined && page.version !== request.version) || (request.table !== undefined && page.table !== request.table)) {
    throw new MalformedSnapshot(
      `The server answered a snapshot request for ${describeRequest(request)} with a page of ${page.table} of scope ${JSON.stringify(page.scope)} at version ${page.version}: is it a Box Office server?`,
    );
  }
  return page;
}

/** The request for the page after this one (of its table or the next), or null after the scope's last page. */
export function nextSnapshotRequest(page: ReceivedSnapshotPage): SnapshotRequest | null {
  if (page.next === null) return null;
  return { scope: page.scope, version: page.version, table: page.next.table, ...(page.next.after === null ? {} : { after: page.next.after }) };
}

function describeRequest(request: SnapshotRequest): string {
  return `scope ${JSON.stringify(request.scope)}${request.table ? `, table ${request.table}` : ''}${request.version !== undefined ? ` at version ${request.version}` : ''}`;
}
