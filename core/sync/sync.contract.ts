import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { alertListInput, alertListSchema } from '../alerts/alerts.contract.ts';
import { outboxStatuses } from '../enumerations.ts';
import { rolesFrom } from '../operators/roles.ts';
import { cursorsSchema, deviceRoleSchema } from '../../sync/protocol.ts';
import { serverUrlSchema } from '../../sync/server-address.ts';

/**
 * The Sync screen and the status indicator (DESIGN.md section 6): where this terminal stands with
 * the central server, enrolment with a one-time code, "Sync now", and the commands and alerts
 * staff must see (rejected ones with their reason and what they concern, never dropped silently).
 * The host's sync worker does the work (core/sync/terminal-sync.ts); these are its shapes.
 *
 * Roles (DESIGN.md section 6a): every role sees the status and may ask for a sync (a gate steward
 * is who sees "offline, 40 waiting" and wants it to go; a sync decides nothing and shows nothing
 * more). The commands and alerts name customers: box office and up (who may acknowledge an alert:
 * core/alerts). Enrolling binds the terminal to a server: admin only. The consistency check shows
 * which tables differ from the server's, as the commands do: box office and up; reloading them
 * (`repair`) rewrites the terminal's rows from the server, as an enrolment's first load does: the
 * roles that may enrol.
 */

/**
 * not_enrolled: no server yet; unknown: enrolled, no answer yet since the start; online: the last
 * request was answered; offline: it was not (the commands wait on this terminal).
 */
export const syncConnections = ['not_enrolled', 'unknown', 'online', 'offline'] as const;
export const syncConnectionSchema = z.enum(syncConnections);
export type SyncConnection = z.infer<typeof syncConnectionSchema>;

export const syncStatusViewSchema = z.object({
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  /** How the server's device list names this terminal (given at enrolment). */
  deviceName: z.string().nullable(),
  deviceId: z.string().nullable(),
  role: deviceRoleSchema.nullable(),
  /** In this terminal's order numbers and ticket references. */
  shortCode: z.string(),
  /** The event the enrolment is for; null: every event (or not enrolled). */
  eventId: z.string().nullable(),
  eventName: z.string().nullable(),
  enrolledAt: z.string().nullable(),
  /** Enrolled but the token file is gone: enrol again. */
  hasToken: z.boolean(),
  /** Whether this process runs the sync worker (the desktop app and `box-office serve` do; the CLI does not). */
  running: z.boolean(),
  connection: syncConnectionSchema,
  syncing: z.boolean(),
  /** Commands waiting for the server. */
  waiting: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  withConflict: z.number().int().nonnegative(),
  /** Conflict alerts not acknowledged yet, from every terminal (a double admission, a replaced tag). */
  alerts: z.number().int().nonnegative(),
  /** The end of the last sync that went through (ISO-8601), or the last push before this start. */
  lastSyncAt: z.string().nullable(),
  /** Why the last sync failed, worded for staff; null when it went through. */
  problem: z.string().nullable(),
  /** When the next try is due after a failure. */
  retryAt: z.string().nullable(),
  /** The server's clock minus this terminal's, ms. */
  clockOffsetMs: z.number(),
});
export type SyncStatusView = z.infer<typeof syncStatusViewSchema>;

const optionalName = z
  .string()
  .trim()
  .max(100, 'The terminal name holds at most 100 characters')
  .optional()
  .transform((name) => (name === '' ? undefined : name));

export const syncEnrolInput = z.object({
  serverUrl: z.string({ error: 'Enter the server address' }).trim().min(1, 'Enter the server address').pipe(serverUrlSchema),
  code: z.string({ error: 'Enter the enrolment code' }).trim().min(1, 'Enter the enrolment code').max(200, 'The enrolment code is at most 200 characters'),
  name: optionalName,
  /** Enrol again although enrolled (another server, or a new code after a revocation). */
  force: z.boolean().default(false),
});
export type SyncEnrolInput = z.output<typeof syncEnrolInput>;

export const syncNowResultSchema = z.object({
  pushed: z.number().int().nonnegative(),
  applied: z.number().int().nonnegative(),
  withConflict: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  pulledRows: z.number().int().nonnegative(),
  /** Commands written while it ran, waiting for the next sync. */
  waiting: z.number().int().nonnegative(),
  caughtUp: z.boolean(),
});
export type SyncNowResult = z.infer<typeof syncNowResultSchema>;

/** The consistency check's answer (sync/terminal/consistency-check.ts), for `sync.check` and `box-office sync check --json`. */
export const tableDifferenceSchema = z.object({
  table: z.string(),
  /** Rows compared on each side (the rows changed at the server since the cursors left out). */
  terminalRows: z.number().int().nonnegative(),
  serverRows: z.number().int().nonnegative(),
  /** In words: which of the rows' number, their contents or the table's columns differ. */
  reason: z.string(),
});
export type TableDifference = z.infer<typeof tableDifferenceSchema>;

export const tableRepairSchema = z.object({
  table: z.string(),
  /** The server's rows written again. */
  reloaded: z.number().int().nonnegative(),
  /** Rows this terminal held that the server does not, removed. */
  removed: z.number().int().nonnegative(),
});
export type TableRepair = z.infer<typeof tableRepairSchema>;

export const checkSummarySchema = z.object({
  /** The cursors checked at. */
  cursors: cursorsSchema,
  /** Tables compared, and the server's rows in them. */
  tables: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  /** Tables that differ (after a repair: those that still do). */
  differing: z.array(tableDifferenceSchema),
  repaired: z.array(tableRepairSchema),
});
export type CheckSummary = z.infer<typeof checkSummarySchema>;

export const syncCheckInput = z.object({
  /** Reload each table that differs from the server's snapshot (the roles that may enrol). */
  repair: z.boolean({ error: 'Repair is true or false' }).default(false),
});
export type SyncCheckInput = z.output<typeof syncCheckInput>;

/** rejected; pending: waiting for the server; conflict: applied with a conflict. */
export const syncCommandFilters = ['rejected', 'pending', 'conflict'] as const;

/** Something a command is about, as staff know it: a customer's name, a ticket's reference, a tag's UID. */
export const commandConcernSchema = z.object({
  kind: z.enum(['customer', 'ticket', 'tag', 'order', 'event']),
  id: z.string(),
  label: z.string(),
});
export type CommandConcern = z.infer<typeof commandConcernSchema>;

export const syncCommandViewSchema = z.object({
  id: z.string(),
  seq: z.number().int(),
  /** `checkin.scan@1` */
  command: z.string(),
  /** What it did in staff's words: "Check-in scan", "Wristband activation". */
  label: z.string(),
  at: z.string(),
  operator: z.string().nullable(),
  status: z.enum(outboxStatuses),
  reason: z.string().nullable(),
  conflicts: z.array(z.object({ kind: z.string(), message: z.string() })),
  concerns: z.array(commandConcernSchema),
  /** The customer whose card shows it, when there is one. */
  customerId: z.string().nullable(),
});
export type SyncCommandView = z.infer<typeof syncCommandViewSchema>;

const listLimit = z.number().int().min(1, 'The limit is at least 1').max(500, 'The limit is at most 500').default(100);

export const syncOperations = {
  'sync.status': operation({
    summary: 'Where this terminal stands with the central server: connection, commands waiting, rejected, last sync',
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: syncStatusViewSchema,
  }),
  'sync.enrol': operation({
    summary: 'Enrol this terminal at the central server with a one-time code from its administrator',
    roles: ['admin'],
    input: syncEnrolInput,
    output: syncStatusViewSchema.extend({ eventChosen: z.boolean() }),
  }),
  'sync.now': operation({
    summary: 'Sync now: push the commands waiting and pull what other terminals did',
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: syncNowResultSchema,
  }),
  'sync.check': operation({
    summary: "Sync, then compare every table with the server's (row counts and a digest); with repair, reload each one that differs from the server (who may enrol)",
    roles: rolesFrom('box_office'),
    input: syncCheckInput,
    output: checkSummarySchema,
  }),
  'sync.commands': operation({
    summary: "This terminal's commands that are rejected, waiting or applied with a conflict, with what they concern",
    roles: rolesFrom('box_office'),
    input: z.object({ status: z.enum(syncCommandFilters, { error: 'Status must be rejected, pending or conflict' }), limit: listLimit }),
    output: z.object({ commands: z.array(syncCommandViewSchema), total: z.number().int().nonnegative() }),
  }),
  'sync.alerts': operation({
    summary: 'Conflict alerts from every terminal (double admissions, replaced wristbands): unacknowledged first, newest first; show: all adds the acknowledged ones',
    roles: rolesFrom('box_office'),
    input: alertListInput,
    output: alertListSchema,
  }),
};

/** A first load's progress (sync.progress events): rows so far, speed and time left, for the Sync screen's bar. */
export const syncProgressSchema = z.object({
  /** What is loading: `first-load` (the snapshot), later maybe others. */
  phase: z.enum(['first-load']),
  /** The table being loaded now, when known. */
  table: z.string().nullable(),
  rows: z.number().int().nonnegative(),
  /** Rows in the whole load, when the server said. */
  totalRows: z.number().int().nonnegative().nullable(),
  rowsPerSecond: z.number().nonnegative(),
  /** Estimated, when the total is known. */
  secondsLeft: z.number().nonnegative().nullable(),
  done: z.boolean(),
});
export type SyncProgress = z.infer<typeof syncProgressSchema>;
