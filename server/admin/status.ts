import { z } from 'zod';
import { receiptStatuses } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import { listDevices } from '../devices/enrolment.ts';
import { deviceSummary, deviceSummarySchema } from './devices.ts';

/**
 * What an administrator checks on the server (`box-office-server status`): the terminals and when
 * each was last heard from, how far each event's data has moved, and the commands the server did
 * not apply as their terminal did (conflicts and rejections), which staff must look at.
 */

/** How many of the newest conflicts `status` lists. */
export const latestConflictsShown = 10;

export const serverStatusSchema = z.object({
  devices: z.array(deviceSummarySchema),
  /** Per event, the newest `server_version` of its rows (0: nothing synced yet). */
  events: z.array(z.object({ id: z.string(), name: z.string(), version: z.number().int() })),
  /** The version of the rows of no event (customers, labels, operators, web users). */
  sharedVersion: z.number().int(),
  conflicts: z.object({
    /** Receipts that are not a plain `applied`: applied with a conflict, or rejected. */
    count: z.number().int(),
    latest: z.array(
      z.object({
        envelopeId: z.string(),
        deviceShortCode: z.string(),
        command: z.string(),
        operator: z.string().nullable(),
        status: z.enum(receiptStatuses),
        code: z.string().nullable(),
        message: z.string().nullable(),
        receivedAt: z.string(),
      }),
    ),
  }),
});
export type ServerStatus = z.infer<typeof serverStatusSchema>;

export async function serverStatus(db: ServerDatabase): Promise<ServerStatus> {
  const devices = (await listDevices(db)).map(deviceSummary);
  const events = await db
    .selectFrom('events')
    .leftJoin('event_versions', 'event_versions.scope', 'events.id')
    .select(['events.id', 'events.name', 'event_versions.version'])
    .orderBy('events.starts_at')
    .orderBy('events.name')
    .orderBy('events.id')
    .execute();
  const shared = await db.selectFrom('event_versions').select('version').where('scope', '=', '').executeTakeFirst();
  // Both read through the partial index receipts_conflicts (migration 0002): applied receipts, the
  // great majority, are never scanned.
  const { count } = await db
    .selectFrom('receipts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('status', '<>', 'applied')
    .executeTakeFirstOrThrow();
  const latest = await db
    .selectFrom('receipts')
    .innerJoin('devices', 'devices.id', 'receipts.device_id')
    .select(['receipts.envelope_id', 'devices.short_code', 'receipts.name', 'receipts.operator', 'receipts.status', 'receipts.code', 'receipts.message', 'receipts.received_at'])
    .where('receipts.status', '<>', 'applied')
    .orderBy('receipts.received_at', 'desc')
    .orderBy('receipts.envelope_id', 'desc')
    .limit(latestConflictsShown)
    .execute();
  return {
    devices,
    events: events.map((event) => ({ id: event.id, name: event.name, version: Number(event.version ?? 0) })),
    sharedVersion: Number(shared?.version ?? 0),
    conflicts: {
      count: Number(count),
      latest: latest.map((row) => ({
        envelopeId: row.envelope_id,
        deviceShortCode: row.short_code,
        command: row.name,
        operator: row.operator,
        status: row.status,
        code: row.code,
        message: row.message,
        receivedAt: row.received_at,
      })),
    },
  };
}
