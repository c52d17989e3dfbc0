import { z } from 'zod';
import { conflictSchema } from '../core/commands/conflict.ts';
import { envelopeSchema } from '../core/commands/envelope.ts';

/**
 * The sync protocol between a terminal and the central server (DESIGN.md section 6), shared by
 * both: the server validates every request body with these schemas, the terminal's sync worker
 * every response. JSON over HTTP; every request but enrolment carries the device's token
 * (`Authorization: Bearer …`) and the protocol version it speaks (`Box-Office-Protocol: N`).
 */

/** The version this build speaks. */
export const protocolVersion = 1;
/** The oldest version this build's server still answers: a terminal one version behind keeps working. */
export const oldestProtocolVersion = Math.max(1, protocolVersion - 1);
/** The header naming the version a request speaks; the server answers with the version it used. */
export const protocolHeader = 'box-office-protocol';

/** Device roles (DESIGN.md section 6a): what a terminal may push and what it receives. */
export const deviceRoles = ['gate', 'box_office', 'supervisor', 'admin'] as const;
export const deviceRoleSchema = z.enum(deviceRoles, { error: 'Role must be gate, box_office, supervisor or admin' });
export type DeviceRole = z.infer<typeof deviceRoleSchema>;

/** A server's time, in every response: the terminal tracks its clock's offset from it. */
const serverTime = z.iso.datetime({ offset: false, precision: 3 });

/**
 * The pull cursor: per scope, the newest `server_version` the terminal holds. A scope is an event's
 * id, or '' for the rows that belong to no event (customers, labels, operators, web users).
 * Versions count per scope, commit-ordered and gap-free; the cursor is never a clock.
 */
export const cursorsSchema = z.record(z.string(), z.number().int().nonnegative());
export type Cursors = z.infer<typeof cursorsSchema>;

// --- enrol: POST /enrol -------------------------------------------------------------------------

export const enrolRequestSchema = z.object({
  code: z.string().trim().min(1, 'Enter the enrolment code'),
  /**
   * The terminal's own device id: the envelopes it wrote before enrolling carry it. A revoked
   * device enrolling again with a new code keeps its id, short code and acknowledged seq.
   */
  deviceId: z.uuid().optional(),
  /** How staff will recognise the terminal in `devices list` ("Gate North 2"). */
  name: z.string().trim().min(1).max(100).optional(),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.object({
  deviceId: z.string(),
  /** Shown once: the server keeps only its hash. */
  token: z.string(),
  /** The terminal's short code, in its offline order numbers and ticket references (`B7-000123`). */
  shortCode: z.string(),
  role: deviceRoleSchema,
  /** The event the code was made for, or null for every event. */
  eventId: z.string().nullable(),
  serverTime,
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

// --- push: POST /push ---------------------------------------------------------------------------

/** At most this many commands per push (DESIGN.md section 6); a bigger batch is refused whole with 413. */
export const maxPushCommands = 500;
/** At most this many bytes per request body; a command bigger than that travels alone, split by its sender. */
export const maxRequestBytes = 1024 * 1024;

export const pushRequestSchema = z.object({
  /** The device's envelopes in seq order, from its oldest unacknowledged one. */
  envelopes: z.array(envelopeSchema).max(maxPushCommands, `A push holds at most ${maxPushCommands} commands`),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const receiptStatuses = ['applied', 'applied_with_conflict', 'rejected'] as const;

/**
 * The server's answer for one command. A rejection is a receipt, never an error that blocks the
 * queue: `code` is the domain error's code (`forbidden`, `conflict`, `not_found`, `invalid`…) and
 * `message` what staff read.
 */
export const receiptSchema = z.object({
  id: z.string(),
  seq: z.number().int().positive(),
  status: z.enum(receiptStatuses),
  conflicts: z.array(conflictSchema).optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});
export type Receipt = z.infer<typeof receiptSchema>;

export const pushResponseSchema = z.object({
  /** One per envelope the server took, in order; a retried envelope gets its stored receipt. */
  receipts: z.array(receiptSchema),
  /** The device's last seq the server holds: everything up to it is acknowledged. */
  lastSeq: z.number().int().nonnegative(),
  /** Set when the batch skipped a seq: the server stopped there; resend from `lastSeq + 1`. */
  gap: z.boolean().optional(),
  serverTime,
});
export type PushResponse = z.infer<typeof pushResponseSchema>;

// --- pull: POST /pull ---------------------------------------------------------------------------

/**
 * Rows per page when the request names no limit. A page never splits a version (the terminal's
 * state after each page is one the server had), so one version bigger than the limit comes whole.
 */
export const defaultPullRows = 2000;
export const maxPullRows = 5000;

export const pullRequestSchema = z.object({
  /**
   * Scopes the terminal follows, each with the newest version it holds (0: none yet). '' and the
   * device's event are always followed; a device enrolled for every event may name any event.
   */
  cursors: cursorsSchema,
  limit: z.number().int().positive().max(maxPullRows, `A pull page holds at most ${maxPullRows} rows`).optional(),
  /**
   * The device's oldest seq whose effects the terminal does not hold in pulled rows yet: the server
   * looks for `settledSeq` from there (absent: from the device's first command).
   */
  settledFrom: z.number().int().positive().optional(),
});
export type PullRequest = z.infer<typeof pullRequestSchema>;

/** Rows of one synced table, as the server holds them (what the device's role may see). */
export const tableRowsSchema = z.object({
  table: z.string(),
  rows: z.array(z.record(z.string(), z.unknown())),
});
export type TableRows = z.infer<typeof tableRowsSchema>;

export const pullResponseSchema = z.object({
  /**
   * Rows changed after the cursors, whole versions only: tables in foreign-key order (a row's
   * parents before it); in each table the '' scope's rows before events', each scope's in
   * `server_version` order.
   */
  changes: z.array(tableRowsSchema),
  /** The cursors after this page. */
  cursors: cursorsSchema,
  hasMore: z.boolean(),
  /**
   * The device's last seq the server holds, read with the rows: its pending commands up to it are
   * acknowledged, and their effects are in the rows once a page says `hasMore: false`.
   */
  lastSeq: z.number().int().nonnegative(),
  /**
   * The device's newest seq such that every command of it up to there has its effects in the rows
   * up to this page's cursors (exact on every page, where `lastSeq` is only on the last): the
   * terminal's rebase stops running those again. Absent from servers of before it.
   */
  settledSeq: z.number().int().nonnegative().optional(),
  serverTime,
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

// --- snapshot: GET /snapshot --------------------------------------------------------------------

/** Rows per snapshot page, and the most bytes of JSON rows a page holds (before compression). */
export const snapshotPageRows = 10_000;
export const snapshotPageBytes = 8 * 1024 * 1024;

const wholeNumber = (name: string) =>
  z
    .string()
    .regex(/^\d{1,15}$/, `${name} is a whole number`)
    .transform(Number);

/**
 * A page of a first load (DESIGN.md section 6, "First load"), in the query string. The first
 * request names only the scope: the server fixes its version V and starts with the first table.
 * Every later request repeats V and follows the previous page's `next`. Rows changed after V are
 * not in the snapshot: the pull from V brings them.
 */
export const snapshotRequestSchema = z.object({
  /** An event's id, or '' (`scope=`) for the rows of no event. */
  scope: z.string({ error: 'Scope is required: an event id, or empty for the rows of no event' }),
  /** The version the first page fixed; absent on the first request. */
  version: wholeNumber('Version').optional(),
  /** The table to read; absent: the scope's first table. */
  table: z.string().min(1, 'Table is empty').optional(),
  /** The previous page's `next.after`, as it came (opaque): the page starts after that key. */
  after: z.string().min(1, 'After is empty').optional(),
});
export type SnapshotRequest = z.infer<typeof snapshotRequestSchema>;

export const snapshotPageSchema = z.object({
  scope: z.string(),
  /** The snapshot's version V: every row has `server_version <= V`; pull from V afterwards. */
  version: z.number().int().nonnegative(),
  table: z.string(),
  /** The columns of the rows' values, in order: the columns of `table` the device's role may see. */
  columns: z.array(z.string()),
  /**
   * Rows of `table`, in primary-key order, each the list of its values in the order of `columns`:
   * the column names once a page, not once a row (10,000 tickets are 3.0 MB of JSON as lists and
   * 5.4 MB as objects, and parse in half the time).
   */
  rows: z.array(z.array(z.unknown())),
  /** The next request (the same table after a key, or the next table from its start); null: the scope is loaded. */
  next: z.object({ table: z.string(), after: z.string().nullable() }).nullable(),
  /**
   * On the first page only (the request named no version): per table of the snapshot, how many
   * rows it holds at V, for the terminal's progress and time left. Optional: a server of an
   * earlier build leaves it out, and the terminal then shows rows and rows/s only.
   */
  totals: z.record(z.string(), z.number().int().nonnegative()).optional(),
  /**
   * On the first page of scope '' only: the events this device receives (its own, or every event
   * the server holds for a device enrolled for every event), each a scope to load after ''.
   * Optional: without it the terminal loads the event it was enrolled for.
   */
  events: z.array(z.string()).optional(),
  serverTime,
});
export type SnapshotPage = z.infer<typeof snapshotPageSchema>;

/**
 * A snapshot page as a terminal checks it on arrival: all but its rows, which are only a list
 * there. The terminal checks each row against its own table's columns as it loads it
 * (sync/terminal/snapshot-rows.ts); checking 10,000 rows of 19 columns as records here too took
 * 22 to 46 ms a page, as long as inserting them.
 */
export const snapshotPageShape = snapshotPageSchema.extend({ rows: z.array(z.unknown()) });
export type ReceivedSnapshotPage = z.infer<typeof snapshotPageShape>;

// --- check: POST /check ------------------------------------------------------------------------

/**
 * The consistency check (DESIGN.md section 6): per table, how many rows the server holds for the
 * scopes a terminal follows, up to its cursors, and their digest (sync/row-digest.ts). A terminal
 * whose table differs reloads it from the snapshot instead of staying out of sync.
 */
export const checkRequestSchema = z.object({
  /** The terminal's cursors: the server counts each scope's rows at or below its cursor. Only the scopes named are checked (at least one). */
  cursors: cursorsSchema,
});
export type CheckRequest = z.infer<typeof checkRequestSchema>;

/** Rows changed after the cursors that the server lists by key at most; past it, the terminal pulls first. */
export const maxChangedAfterRows = 1000;

export const tableCheckSchema = z.object({
  table: z.string(),
  /** The scopes asked for that hold the table: a reload asks each for its snapshot pages of it. */
  scopes: z.array(z.string()),
  /** The key columns, as a snapshot's `after` lists their values. */
  key: z.array(z.string()),
  /** The columns hashed, in this order: those the device's role sees, as in a snapshot page. */
  columns: z.array(z.string()),
  /** Rows of those scopes at or below their cursors, and their digest. */
  rows: z.number().int().nonnegative(),
  digest: z.string().regex(/^\d+$/),
  /**
   * Keys (each the JSON list of its key values, as a snapshot's `after`) of the rows changed after
   * the cursors: the terminal holds an older version of each, or none, so it leaves them out too.
   */
  changedAfter: z.array(z.string()),
});
export type TableCheck = z.infer<typeof tableCheckSchema>;

export const checkResponseSchema = z.object({
  /** The server's current version of each scope asked for. */
  versions: cursorsSchema,
  /** Every table the device receives; null when over maxChangedAfterRows rows changed after the cursors (pull, then check). */
  tables: z.array(tableCheckSchema).nullable(),
  serverTime,
});
export type CheckResponse = z.infer<typeof checkResponseSchema>;

// --- live: GET /live (WebSocket) ----------------------------------------------------------------

/**
 * What the live socket sends: a scope the device follows reached a version. Once per followed
 * scope when the socket opens, then after every push that moves one. A terminal whose cursor is
 * behind pulls; an announcement at or below its cursor (they may arrive out of order) changes nothing.
 */
export const liveAnnouncementSchema = z.object({
  scope: z.string(),
  version: z.number().int().nonnegative(),
});
export type LiveAnnouncement = z.infer<typeof liveAnnouncementSchema>;

// --- errors -------------------------------------------------------------------------------------

/** Every non-2xx response's body: no stack trace, a code a program reads and a message a person reads. */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;
