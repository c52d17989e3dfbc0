import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { idSchema } from '../fields.ts';

/**
 * The event's gates (access points, DESIGN.md section 7): check-in scans name the gate they were
 * made at (core/checkin). The implementation is core/checkin/gates.ts.
 */

export const gateSchema = z.object({ id: z.string(), name: z.string(), zone: z.string().nullable() });

export const gatesListInput = z.object({ eventId: idSchema.nullable().optional() });

export const gatesCreateInput = z.object({
  name: z.string().trim().min(1, 'Gate name is empty').max(80, 'Gate name is longer than 80 characters'),
  zone: z
    .string()
    .trim()
    .max(80, 'Zone is longer than 80 characters')
    .transform((text) => (text === '' ? null : text))
    .nullable()
    .optional(),
  eventId: idSchema.nullable().optional(),
});

export const gateOperations = {
  'gates.list': operation({
    roles: rolesFrom('steward'),
    input: gatesListInput,
    output: z.object({ gates: z.array(gateSchema) }),
    summary: "The event's gates (access points)",
  }),
  'gates.create': operation({
    roles: rolesFrom('admin'),
    input: gatesCreateInput,
    output: gateSchema,
    summary: 'Adds a gate (access point) to the event',
  }),
} as const;
