import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema } from '../fields.ts';
import { credentialKinds, invalidReasons, scanDirections, scanVerdicts, ticketStatuses } from '../enumerations.ts';
import { scanReasons, scanWarnings } from './reasons.ts';

/**
 * Check-in (DESIGN.md section 7, issue 5): scans at gates, their undo and the live counts. The gates
 * themselves are in core/gates, the box-office wristband exchange (tags.activateForTicket,
 * tags.replace) in core/tags.
 */

export const directionSchema = z.enum(scanDirections);
export const scanReasonSchema = z.enum(scanReasons);

/** What a scanner read: a ticket barcode (exact text) or a tag UID (any common spelling). */
const scannedCode = z
  .string()
  .trim()
  .min(1, 'Code is empty')
  .max(128, 'Code is longer than 128 characters')
  .refine((text) => !/\p{Cc}/u.test(text), 'Code contains control characters');

export const checkinScanInput = z.object({
  code: scannedCode,
  /** The gate this terminal scans at; null or absent for a supervisor's check-in without a gate. */
  gateId: idSchema.nullable().optional(),
  direction: directionSchema.default('entry'),
  eventId: idSchema.nullable().optional(),
});

const gateRef = z.object({ id: z.string(), name: z.string() });

export const checkinVerdictSchema = z.object({
  scanId: z.string(),
  at: z.string(),
  /** The event's time zone: the verdict's times are shown in it. */
  timeZone: z.string(),
  /** What was scanned, as the scanner read it: a screen showing a verdict it did not ask for (a reader's, decided by the host) names the code. */
  code: z.string(),
  verdict: z.enum(scanVerdicts),
  /** Stable code: 'admitted' or why not (see core/checkin/reasons.ts). */
  reason: scanReasonSchema,
  /** One line for staff, e.g. "Already inside: Ticket TCK-1 entered Sat 11 Jul 2026, 10:02 at Main entrance". */
  message: z.string(),
  /** Admitted but worth a look (amber): 're_entry'. */
  warning: z.enum(scanWarnings).nullable(),
  direction: directionSchema,
  gate: gateRef.nullable(),
  /** Which kind of credential the code was: null when unknown. */
  credential: z.enum(credentialKinds).nullable(),
  ticket: z
    .object({
      id: z.string(),
      reference: z.string(),
      ticketType: z.string(),
      status: z.enum(ticketStatuses),
      invalidReason: z.enum(invalidReasons).nullable(),
      redeemed: z.boolean(),
      banned: z.boolean(),
    })
    .nullable(),
  tag: z
    .object({
      id: z.string(),
      uid: z.string(),
      ticketType: z.string(),
      active: z.boolean(),
      banned: z.boolean(),
      inactiveReason: z.string().nullable(),
    })
    .nullable(),
  customer: z.object({ id: z.string(), displayName: z.string() }).nullable(),
  /** Admitted entries of the credential after this scan, and the type's limit (null = none). */
  entries: z.number().int(),
  maxEntries: z.number().int().nullable(),
  /** For a credential admitted before (duplicates): its first admitted entry, when and where. */
  firstAdmission: z.object({ at: z.string(), gate: z.string().nullable() }).nullable(),
});
export type CheckinVerdict = z.infer<typeof checkinVerdictSchema>;

export const checkinUndoInput = z.object({ scanId: idSchema });

export const checkinUndoOutput = z.object({
  scanId: z.string(),
  undoneAt: z.string(),
  ticketId: z.string().nullable(),
  tagId: z.string().nullable(),
  /** The credential's admitted entries and whether it is inside, after the undo. */
  entries: z.number().int(),
  inside: z.boolean(),
});

export const checkinCountsInput = z.object({
  eventId: idSchema.nullable().optional(),
  /** A calendar day in the event's time zone; default: today there. */
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Day must be YYYY-MM-DD')
    .optional(),
});

const tally = { admitted: z.number().int(), rejected: z.number().int() };

export const checkinCountsOutput = z.object({
  eventId: z.string(),
  day: z.string(),
  timeZone: z.string(),
  /** The day's bounds as instants (ISO UTC). */
  from: z.string(),
  to: z.string(),
  /** Tickets and wristbands inside now (an admitted entry not followed by an exit). */
  insideNow: z.number().int(),
  /** Admitted entry scans of the day (check-ins), undone ones excluded. */
  admittedToday: z.number().int(),
  exitsToday: z.number().int(),
  rejectedToday: z.number().int(),
  undoneToday: z.number().int(),
  /**
   * Admitted entries of the day flagged as double admissions (counted in admittedToday too): a
   * ticket admitted at two offline gates while the rules would have refused the later scan.
   */
  doubleAdmissionsToday: z.number().int(),
  /** Every gate of the event, and scans made without a gate (gateId null), if any. */
  perGate: z.array(z.object({ gateId: z.string().nullable(), gate: z.string(), ...tally, exits: z.number().int(), insideNow: z.number().int() })),
  /** Every quarter hour of the day, start as an ISO instant. */
  per15Minutes: z.array(z.object({ start: z.string(), ...tally })),
  rejectedByReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
});
export type CheckinCounts = z.infer<typeof checkinCountsOutput>;

export const checkinOperations = {
  'checkin.scan': operation({
    roles: rolesFrom('steward'),
    input: checkinScanInput,
    output: checkinVerdictSchema,
    summary: 'Decides and records one scan of a ticket code or tag UID at a gate (entry or exit)',
  }),
  'checkin.latestVerdict': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: z.object({ verdict: checkinVerdictSchema.nullable() }),
    summary: 'The latest verdict this terminal decided since it started (a check-in screen shows it on reconnect)',
  }),
  'checkin.undo': operation({
    roles: rolesFrom('supervisor'),
    input: checkinUndoInput,
    output: checkinUndoOutput,
    summary: "Undoes this terminal's admission within 60 seconds (a turnstile that did not turn); the scan is kept, marked undone",
  }),
  'checkin.counts': operation({
    roles: rolesFrom('steward'),
    input: checkinCountsInput,
    output: checkinCountsOutput,
    summary: "Inside now, the day's admissions and rejections per gate, per 15 minutes and by reason",
  }),
} as const;
