import { z } from 'zod';
import { idSchema } from '../../core/fields.ts';
import { deviceRoleSchema } from '../../sync/protocol.ts';
import { createEventInput, serverEventSchema } from '../events/events.ts';
import { addOperatorInput, serverOperatorSchema } from '../operators/operators.ts';
import { deviceSummarySchema } from './devices.ts';
import { serverStatusSchema } from './status.ts';

/**
 * The server's administration (`box-office-server` commands, and the /admin routes they call while
 * the server runs): each operation's route, its input and its output. Inputs are parsed again by
 * whoever runs the operation, so parsing a parsed input must give it back unchanged (normalising
 * transforms only: trimming, upper-casing, a time to UTC).
 */

export interface AdminOperation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST';
  /** Under /admin; a `:name` segment is the input field of that name. */
  path: `/admin/${string}`;
  input: I;
  output: O;
  summary: string;
}

const adminOperation = <I extends z.ZodType, O extends z.ZodType>(operation: AdminOperation<I, O>) => operation;

const maxCodeLifetimeMs = 30 * 24 * 60 * 60 * 1000;
const unitMs = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30m`, `24h`, `7d` in milliseconds; undefined for other text. */
export function durationMs(text: string): number | undefined {
  const match = /^(\d{1,6})([mhd])$/.exec(text);
  return match ? Number(match[1]) * unitMs[match[2] as keyof typeof unitMs] : undefined;
}

export const createEnrolmentCodeInput = z.object({
  role: deviceRoleSchema,
  /** The event the terminal will work on; absent: every event. */
  eventId: idSchema.optional(),
  /** How long the code works: `30m`, `24h` (the default), `7d`; at most 30 days. */
  expires: z
    .string()
    .trim()
    .refine((text) => durationMs(text) !== undefined, 'Expires must be a duration in minutes, hours or days, such as 30m, 24h or 7d')
    .refine((text) => (durationMs(text) ?? 0) > 0, 'Expires must be longer than nothing, such as 30m')
    .refine((text) => (durationMs(text) ?? 0) <= maxCodeLifetimeMs, 'Expires must be 30 days at most: make a new code when it runs out')
    .optional(),
});

export const adminContract = {
  'enrolCodes.create': adminOperation({
    method: 'POST',
    path: '/admin/enrol-codes',
    input: createEnrolmentCodeInput,
    output: z.object({ code: z.string(), expiresAt: z.string() }),
    summary: 'Make a one-time code a terminal enrols with, for a role (and an event)',
  }),
  'devices.list': adminOperation({
    method: 'GET',
    path: '/admin/devices',
    input: z.object({}),
    output: z.object({ devices: z.array(deviceSummarySchema) }),
    summary: 'The enrolled terminals',
  }),
  'devices.revoke': adminOperation({
    method: 'POST',
    path: '/admin/devices/:id/revoke',
    input: z.object({ id: idSchema }),
    output: deviceSummarySchema,
    summary: 'Refuse a terminal from its next request on (it enrols again with a new code)',
  }),
  'operators.add': adminOperation({
    method: 'POST',
    path: '/admin/operators',
    input: addOperatorInput,
    output: serverOperatorSchema,
    summary: 'Add an operator every terminal lets sign in with their PIN',
  }),
  'operators.list': adminOperation({
    method: 'GET',
    path: '/admin/operators',
    input: z.object({}),
    output: z.object({ operators: z.array(serverOperatorSchema) }),
    summary: 'The operators and their roles',
  }),
  'events.create': adminOperation({
    method: 'POST',
    path: '/admin/events',
    input: createEventInput,
    output: z.object({ id: z.string() }),
    summary: 'Create an event',
  }),
  'events.list': adminOperation({
    method: 'GET',
    path: '/admin/events',
    input: z.object({}),
    output: z.object({ events: z.array(serverEventSchema) }),
    summary: 'The events, earliest first',
  }),
  status: adminOperation({
    method: 'GET',
    path: '/admin/status',
    input: z.object({}),
    output: serverStatusSchema,
    summary: 'Terminals and when they were last seen, versions per event, conflicts to look at',
  }),
} as const;

export type AdminContract = typeof adminContract;
export type AdminOperationName = keyof AdminContract;
/** What an operation takes once parsed. */
export type AdminInput<K extends AdminOperationName> = z.output<AdminContract[K]['input']>;
export type AdminOutput<K extends AdminOperationName> = z.output<AdminContract[K]['output']>;

export const adminOperationNames = Object.keys(adminContract) as AdminOperationName[];
