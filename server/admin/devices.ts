import { z } from 'zod';
import { deviceRoleSchema } from '../../sync/protocol.ts';
import type { Device } from '../devices/enrolment.ts';

/** Enrolled terminals as the admin routes and the CLI show them. */

export const deviceSummarySchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  role: deviceRoleSchema,
  eventId: z.string().nullable(),
  shortCode: z.string(),
  enrolledAt: z.string(),
  lastSeenAt: z.string().nullable(),
  /** The newest command of the device the server holds. */
  lastSeq: z.number().int(),
  revokedAt: z.string().nullable(),
});
export type DeviceSummary = z.infer<typeof deviceSummarySchema>;

/** A device as an administrator sees it: never its token's hash. */
export function deviceSummary(device: Device): DeviceSummary {
  return {
    id: device.id,
    name: device.name,
    role: device.role,
    eventId: device.event_id,
    shortCode: device.short_code,
    enrolledAt: device.enrolled_at,
    lastSeenAt: device.last_seen_at,
    lastSeq: Number(device.last_seq),
    revokedAt: device.revoked_at,
  };
}
