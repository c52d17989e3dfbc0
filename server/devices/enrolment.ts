import type { Clock } from '../../core/clock.ts';
import { DomainError, invalid, notFound } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { DeviceRole, EnrolRequest, EnrolResponse } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { DeviceTable } from '../db/schema.ts';
import { newDeviceToken, newEnrolmentCode, normalisedEnrolmentCode, secretHash, shortCodeNumber } from './secrets.ts';

/**
 * Enrolment (DESIGN.md section 6): an administrator prints a one-time code for a role (and an
 * event); a terminal trades it for a device id, a token, a short code and the role. The code works
 * once and expires; the token is shown once and stored hashed; a revoked device is refused at once.
 */

export type Device = DeviceTable;

export const defaultCodeLifetimeMs = 24 * 60 * 60 * 1000;

export interface EnrolmentCode {
  code: string;
  expiresAt: string;
}

export async function createEnrolmentCode(
  db: ServerDatabase,
  clock: Clock,
  options: { role: DeviceRole; eventId?: string | null; lifetimeMs?: number },
): Promise<EnrolmentCode> {
  const eventId = options.eventId ?? null;
  if (eventId !== null) {
    const event = await db.selectFrom('events').select('id').where('id', '=', eventId).executeTakeFirst();
    if (!event) throw notFound(`No event ${eventId} on this server (box-office-server events list shows them)`, 'event');
  }
  const now = clock.now();
  const lifetimeMs = options.lifetimeMs ?? defaultCodeLifetimeMs;
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) throw invalid('A code must live for some time: give --expires as 30m, 24h or 7d', 'expires');
  const code = newEnrolmentCode();
  const expiresAt = new Date(now.getTime() + lifetimeMs).toISOString();
  await db
    .insertInto('enrolment_codes')
    .values({ code_hash: secretHash(normalisedEnrolmentCode(code)), role: options.role, event_id: eventId, created_at: now.toISOString(), expires_at: expiresAt })
    .execute();
  return { code, expiresAt };
}

const refusedCode = 'This enrolment code is not valid: it may be mistyped, used already or expired. Ask an administrator for a new one';

/** Trades a one-time code for a device; the code is spent in the same transaction. */
export async function enrolDevice(db: ServerDatabase, clock: Clock, request: EnrolRequest): Promise<EnrolResponse> {
  const now = clock.now().toISOString();
  const codeHash = secretHash(normalisedEnrolmentCode(request.code));
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const code = await trx.selectFrom('enrolment_codes').selectAll().where('code_hash', '=', codeHash).forUpdate().executeTakeFirst();
        // One message for every refusal: a guesser learns nothing from it.
        if (!code || code.used_at !== null || code.expires_at <= now) throw new DomainError('FORBIDDEN', refusedCode, 'code');
        const token = newDeviceToken();
        const existing = request.deviceId === undefined ? undefined : await trx.selectFrom('devices').selectAll().where('id', '=', request.deviceId).forUpdate().executeTakeFirst();
        let device: Device;
        if (existing) {
          if (existing.revoked_at === null) throw new DomainError('CONFLICT', 'This terminal is enrolled already: revoke it on the server first to enrol it again', 'deviceId');
          device = { ...existing, name: request.name ?? existing.name, role: code.role, event_id: code.event_id, token_hash: secretHash(token), last_seen_at: now, revoked_at: null };
          await trx.updateTable('devices').set(device).where('id', '=', device.id).execute();
        } else {
          const count = await trx.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          device = {
            id: request.deviceId ?? newId(),
            name: request.name ?? null,
            role: code.role,
            event_id: code.event_id,
            short_code: shortCodeNumber(code.role, Number(count.n) + 1 + attempt),
            token_hash: secretHash(token),
            last_seq: 0,
            enrolled_at: now,
            last_seen_at: now,
            revoked_at: null,
          };
          await trx.insertInto('devices').values(device).execute();
        }
        await trx.updateTable('enrolment_codes').set({ used_at: now, device_id: device.id }).where('code_hash', '=', codeHash).execute();
        return { deviceId: device.id, token, shortCode: device.short_code, role: device.role, eventId: device.event_id, serverTime: now };
      });
    } catch (error) {
      // Two enrolments at once may pick the same short code: the unique index refuses the second, which tries the next.
      if (isUniqueViolation(error) && attempt < 5) continue;
      throw error;
    }
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** The device a token belongs to, revoked or not; undefined for a token no device has. */
export async function deviceOfToken(db: ServerDatabase, token: string): Promise<Device | undefined> {
  return db.selectFrom('devices').selectAll().where('token_hash', '=', secretHash(token)).executeTakeFirst();
}

export async function listDevices(db: ServerDatabase): Promise<Device[]> {
  return db.selectFrom('devices').selectAll().orderBy('enrolled_at').orderBy('id').execute();
}

/** Revokes a device: its token is refused from its next request on. Revoking twice changes nothing. */
export async function revokeDevice(db: ServerDatabase, clock: Clock, deviceId: string): Promise<Device> {
  const device = await db.selectFrom('devices').selectAll().where('id', '=', deviceId).executeTakeFirst();
  if (!device) throw notFound(`No device ${deviceId} (box-office-server devices list shows them)`, 'id');
  if (device.revoked_at !== null) return device;
  const revokedAt = clock.now().toISOString();
  await db.updateTable('devices').set({ revoked_at: revokedAt }).where('id', '=', deviceId).execute();
  return { ...device, revoked_at: revokedAt };
}
