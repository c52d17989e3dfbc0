import { z } from 'zod';

/**
 * Operator roles (DESIGN.md section 6a), from the least to the most trusted; each role may do
 * everything the roles before it may. Imports only zod: contracts and the renderer use it.
 */
export const roles = ['steward', 'box_office', 'supervisor', 'admin'] as const;
export const roleSchema = z.enum(roles, { error: 'Role must be steward, box_office, supervisor or admin' });
export type Role = z.infer<typeof roleSchema>;

/** How staff read a role. */
export const roleLabels: Readonly<Record<Role, string>> = {
  steward: 'Steward',
  box_office: 'Box office',
  supervisor: 'Supervisor',
  admin: 'Admin',
};

/** Operations anyone may call without signing in: signing in and what the sign-in screen shows. */
export const anyone = 'anyone';

/** Who may call an operation: `anyone`, or the roles listed. */
export type OperationRoles = typeof anyone | readonly Role[];

/** `lowest` and every role above it: `rolesFrom('supervisor')` is supervisor and admin. */
export function rolesFrom(lowest: Role): readonly Role[] {
  return roles.slice(roles.indexOf(lowest));
}

/** Whether `role` may call an operation declaring `allowed`. */
export function roleAllows(allowed: OperationRoles, role: Role): boolean {
  return allowed === anyone || allowed.includes(role);
}
