import { sql } from 'kysely';
import type { Envelope } from '../core/commands/envelope.ts';
import type { ServerDatabase } from '../server/db/database.ts';
import { receiptRow } from '../server/sync/push.ts';
import { inScope, pulledTables, untyped, type PulledTable } from '../server/sync/pulled-tables.ts';
import { visibleTables } from '../server/sync/visible-rows.ts';
import type { DeviceRole } from '../sync/protocol.ts';
import type { Credential } from './server-festival.ts';

/**
 * The raw baselines of the server benchmark: the same work as a push, a snapshot and a pull,
 * written as plain statements on the same Kysely (the same pool on PostgreSQL, the same PGlite),
 * with no HTTP, no validation, no command bodies, no JSON and no gzip.
 */

interface ScanFact {
  code: string;
  gateId: string;
  scanId: string;
  at: string;
}

/**
 * What a push of these scans writes, without the command machinery: the scans and the receipts as
 * two multi-row INSERTs, the credentials' presence as one UPDATE per kind, the device's last seq,
 * in one transaction. The scans' stamping trigger still takes the event's version row, so raw
 * batches of one event are serialised as pushes are.
 */
export async function rawPushBatch(db: ServerDatabase, envelopes: readonly Envelope[], credentials: readonly Credential[], receivedAt: string): Promise<void> {
  const facts = envelopes.map((envelope) => envelope.args as ScanFact);
  const { deviceId } = envelopes[0]!;
  // The benchmark's scans of one batch are made at one gate.
  const { gateId } = facts[0]!;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('scans')
      .values(
        envelopes.map((envelope, index) => {
          const credential = credentials[index]!;
          const fact = facts[index]!;
          return {
            id: fact.scanId,
            event_id: envelope.eventId!,
            code: fact.code,
            ticket_id: credential.kind === 'ticket' ? credential.id : null,
            tag_id: credential.kind === 'tag' ? credential.id : null,
            gate_id: fact.gateId,
            direction: 'entry' as const,
            verdict: 'admitted' as const,
            reason: 'admitted',
            device_id: envelope.deviceId,
            operator: envelope.operator,
            scanned_at: fact.at,
            undone_at: null,
            server_version: null,
          };
        }),
      )
      .execute();
    await trx
      .insertInto('receipts')
      .values(envelopes.map((envelope) => receiptRow(envelope.deviceId, envelope, { id: envelope.id, seq: envelope.seq!, status: 'applied' }, receivedAt)))
      .execute();
    const admitted = (kind: Credential['kind']) => {
      const ids: string[] = [];
      const ats: string[] = [];
      credentials.forEach((credential, index) => {
        if (credential.kind !== kind) return;
        ids.push(credential.id);
        ats.push(facts[index]!.at);
      });
      return { ids, ats };
    };
    const tickets = admitted('ticket');
    await sql`
      UPDATE tickets SET entry_count = entry_count + 1, inside_since = v.at, inside_gate_id = ${gateId},
        first_scan_at = v.at, last_scan_at = v.at, last_scan_gate_id = ${gateId}
      FROM unnest(${tickets.ids}::text[], ${tickets.ats}::text[]) AS v(id, at) WHERE tickets.id = v.id`.execute(trx);
    const tags = admitted('tag');
    await sql`
      UPDATE tags SET entry_count = entry_count + 1, inside_since = v.at, inside_gate_id = ${gateId}
      FROM unnest(${tags.ids}::text[], ${tags.ats}::text[]) AS v(id, at) WHERE tags.id = v.id`.execute(trx);
    await trx.updateTable('devices').set({ last_seq: envelopes.at(-1)!.seq!, last_seen_at: receivedAt }).where('id', '=', deviceId).execute();
  });
}

/** The tables a snapshot or a pull of `scope` reads for a device of `role`, each with its scope condition. */
async function scopedTables(db: ServerDatabase, role: DeviceRole, scope: string) {
  return visibleTables(role, await pulledTables(db)).flatMap((table) => {
    const condition = inScope(table, scope);
    return condition === null ? [] : [{ table, condition }];
  });
}

const keyOf = (table: PulledTable) => sql.join(table.key.map((column) => sql.ref(column)));

/**
 * The snapshot's raw baseline: every table of the scopes read with a plain `SELECT *` in primary-key
 * order, paged by key as the snapshot pages (`pageRows` a page); the rows counted.
 */
export async function rawKeyOrderRead(db: ServerDatabase, role: DeviceRole, scopes: readonly string[], pageRows: number): Promise<number> {
  let count = 0;
  for (const scope of scopes) {
    for (const { table, condition } of await scopedTables(db, role, scope)) {
      let after: unknown[] | null = null;
      for (;;) {
        const page: Record<string, unknown>[] = await untyped(db)
          .selectFrom(table.name)
          .selectAll()
          .where(condition)
          .$if(after !== null, (query) => query.where(sql<boolean>`(${keyOf(table)}) > (${sql.join(after!)})`))
          .orderBy(sql`${keyOf(table)}`)
          .limit(pageRows)
          .execute();
        count += page.length;
        if (page.length < pageRows) break;
        const last = page.at(-1)!;
        after = table.key.map((column) => last[column]);
      }
    }
  }
  return count;
}

/** The pull's raw baseline: the scope's rows stamped after `after`, table by table in version order. */
export async function rawChangedRows(db: ServerDatabase, role: DeviceRole, scope: string, after: number): Promise<number> {
  let count = 0;
  for (const { table, condition } of await scopedTables(db, role, scope)) {
    const rows = await untyped(db)
      .selectFrom(table.name)
      .selectAll()
      .where(condition)
      .where('server_version', '>', after)
      .orderBy('server_version')
      .orderBy(sql`${keyOf(table)}`)
      .execute();
    count += rows.length;
  }
  return count;
}
