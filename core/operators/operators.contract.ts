import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { stationPinSchema } from '../station/station.contract.ts';
import { anyone, roleSchema, rolesFrom } from './roles.ts';

/**
 * Operators and sign-in (issue 9, DESIGN.md section 6a). Signing in, signing out and asking who is
 * signed in need no session; everything else in the API names the roles that may call it.
 */

export const operatorNameSchema = z
  .string({ error: 'Name is required' })
  .trim()
  .min(1, 'Name is empty')
  .max(60, 'Name is longer than 60 characters')
  .regex(/^[^\p{Cc}]*$/u, 'Name contains a control character');

/** Operator PINs follow the station PIN's rule: 4 to 12 digits. */
export const operatorPinSchema = stationPinSchema;

export const signedInOperatorSchema = z.object({ name: z.string(), role: roleSchema });
export type SignedInOperator = z.infer<typeof signedInOperatorSchema>;

export const operatorSummarySchema = z.object({ id: z.string(), name: z.string(), role: roleSchema, createdAt: z.string() });

export const currentOperatorSchema = z.object({
  /** Who this window (connection) is signed in as; null when nobody is. */
  operator: signedInOperatorSchema.nullable(),
  /** No operator exists yet: the app asks to create the first admin (first run). */
  firstRun: z.boolean(),
});
export type CurrentOperator = z.infer<typeof currentOperatorSchema>;

export const signInInput = z.object({ name: operatorNameSchema, pin: operatorPinSchema });
export const addOperatorInput = z.object({ name: operatorNameSchema, role: roleSchema, pin: operatorPinSchema });
const operatorIdSchema = z.string({ error: 'Operator is required' }).trim().min(1, 'Operator is required');
/** A new role, a new PIN (an admin resets a forgotten one), or both; never the name. */
export const updateOperatorInput = z
  .object({ operatorId: operatorIdSchema, role: roleSchema.optional(), pin: operatorPinSchema.optional() })
  .refine((input) => input.role !== undefined || input.pin !== undefined, { message: 'Nothing to change: give a new role or a new PIN' });
export const removeOperatorInput = z.object({ operatorId: operatorIdSchema });

export const operatorOperations = {
  'operators.current': operation({
    roles: anyone,
    input: z.object({}),
    output: currentOperatorSchema,
    summary: 'Who is signed in here, and whether any operator exists yet (first run)',
  }),
  'operators.signIn': operation({
    roles: anyone,
    input: signInInput,
    output: currentOperatorSchema,
    summary: 'Signs this window in as an operator with their PIN (wrong PINs make each next try wait longer)',
  }),
  'operators.signOut': operation({
    roles: anyone,
    input: z.object({}),
    output: currentOperatorSchema,
    summary: 'Signs this window out',
  }),
  'operators.createFirstAdmin': operation({
    roles: anyone,
    input: signInInput,
    output: currentOperatorSchema,
    summary: 'Creates the first operator, an admin, and signs in as them; refused once any operator exists',
  }),
  'operators.add': operation({
    roles: rolesFrom('admin'),
    input: addOperatorInput,
    output: operatorSummarySchema,
    summary: 'Adds an operator with a name, a role and a PIN',
  }),
  'operators.update': operation({
    roles: rolesFrom('admin'),
    input: updateOperatorInput,
    output: operatorSummarySchema,
    summary: "Changes an operator's role or resets their PIN; the last admin keeps the admin role",
  }),
  'operators.remove': operation({
    roles: rolesFrom('admin'),
    input: removeOperatorInput,
    output: z.object({ id: z.string(), name: z.string() }),
    summary: 'Removes an operator (they can no longer sign in; a window signed in as them is signed out); never the last admin, nor yourself',
  }),
  'operators.list': operation({
    roles: rolesFrom('admin'),
    input: z.object({}),
    output: z.object({ operators: z.array(operatorSummarySchema) }),
    summary: 'Lists the operators and their roles (never their PINs)',
  }),
} as const;
