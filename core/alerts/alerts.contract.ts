import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { idSchema } from '../fields.ts';
import { rolesFrom } from '../operators/roles.ts';

/**
 * Conflict alerts (DESIGN.md section 6): what a conflict rule did (a double admission, a wristband
 * replaced by another terminal's activation), raised on one terminal or on the server and synced to
 * every terminal. Staff acknowledge an alert once they handled it; the acknowledgement syncs too.
 * The Sync screen lists them (`sync.alerts`, core/sync).
 *
 * Roles (DESIGN.md section 6a): whoever sees the alerts may acknowledge them, box office and up.
 * An alert names customers, so a steward sees none; and acknowledging changes no ticket, tag, scan
 * or balance (the fixes, such as a ban or an undo, keep their own roles): it records, by name,
 * that someone who read the alert dealt with it.
 */

export const alertViewSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** The kind in staff's words: "Double admission", "Wristband replaced". */
  kindLabel: z.string(),
  message: z.string(),
  at: z.string(),
  /** Raised by a command of this terminal. */
  fromThisTerminal: z.boolean(),
  acknowledged: z.boolean(),
  /** When it was acknowledged (ISO-8601), by whom (the operator's name; null for a terminal without operators). */
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

/** unacknowledged: the alerts staff still have to deal with; all: the acknowledged ones after them. */
export const alertFilters = ['unacknowledged', 'all'] as const;
export type AlertFilter = (typeof alertFilters)[number];

export const alertListInput = z.object({
  limit: z.number().int().min(1, 'The limit is at least 1').max(500, 'The limit is at most 500').default(100),
  show: z.enum(alertFilters, { error: 'Show must be unacknowledged or all' }).default('unacknowledged'),
});

export const alertListSchema = z.object({
  /** Unacknowledged first, newest first; then (show: all) the acknowledged ones, newest first. */
  alerts: z.array(alertViewSchema),
  /** How many alerts the filter takes in. */
  total: z.number().int().nonnegative(),
  /** How many wait for an acknowledgement. */
  unacknowledged: z.number().int().nonnegative(),
});
export type AlertList = z.infer<typeof alertListSchema>;

/** A list of alert ids; one named twice is acknowledged once. */
export const alertIdsSchema = z
  .array(idSchema, { error: 'Give the ids of the alerts to acknowledge' })
  .min(1, 'Give at least one alert to acknowledge')
  .max(500, 'At most 500 alerts at a time')
  .transform((ids) => [...new Set(ids)]);

export const acknowledgeAlertsInput = z.object({ alertIds: alertIdsSchema });

export const alertAcknowledgementSchema = z.object({
  alertId: z.string(),
  acknowledgedAt: z.string(),
  acknowledgedBy: z.string().nullable(),
  /** False when an acknowledgement stood already (made here before, or by another terminal): it is kept. */
  byThisCall: z.boolean(),
});
export type AlertAcknowledgement = z.infer<typeof alertAcknowledgementSchema>;

export const alertOperations = {
  'alerts.acknowledge': operation({
    summary: 'Acknowledges conflict alerts once handled, with who and when; it reaches every terminal and the server',
    roles: rolesFrom('box_office'),
    input: acknowledgeAlertsInput,
    output: z.object({ alerts: z.array(alertAcknowledgementSchema) }),
  }),
};
