import { preparedQuery, sql, type Store } from '../../db/store.ts';
import { DomainError } from '../errors.ts';
import { lockedStationMessage, operationsAtLockedStation, stationLocked } from '../station/locked-station.ts';
import { hasOperators } from './operators.ts';
import { anyone, roleAllows, roleLabels, type OperationRoles, type Role } from './roles.ts';
import type { Session } from './session.ts';

/** Prepared once: every call of a signed-in session reads its operator (a primary-key lookup). */
const operatorStanding = preparedQuery((operatorId: string) =>
  sql.selectFrom('operators').select(['role', 'deleted_at']).where('id', '=', operatorId),
);

export const removedOperatorMessage = 'You were signed out: an admin removed this operator';

/**
 * Brings the session's caller up to date with its operator row: an admin may have changed the
 * role or removed the operator since the sign-in (in another window, or from the CLI). A removed
 * operator's session is signed out; answers whether that just happened.
 */
function refreshCaller(store: Store, session: Session): { removed: boolean } {
  const { caller } = session;
  if (caller?.operatorId === undefined) return { removed: false };
  const row = operatorStanding.first(store, caller.operatorId);
  if (!row || row.deleted_at !== null) {
    session.caller = null;
    return { removed: true };
  }
  if (row.role !== caller.role) session.caller = { ...caller, role: row.role };
  return { removed: false };
}

function askWhom(allowed: readonly Role[]): string {
  const lowest = allowed[0] ?? 'admin';
  return lowest === 'admin' ? 'ask an admin' : `ask a ${roleLabels[lowest].toLowerCase()} or an admin`;
}

/**
 * A caller whose role lacks what it asked: `what` names a part of an operation that needs more
 * than the operation itself (reloading tables in `sync.check`), absent for the whole operation.
 */
export function roleRefusal(role: Role, allowed: readonly Role[], what?: string): DomainError {
  const allowedFor = `allowed for the ${roleLabels[role].toLowerCase()} role`;
  return new DomainError('FORBIDDEN', `${what ? `${what} is not ${allowedFor}` : `Not ${allowedFor}`}: ${askWhom(allowed)}`);
}

/**
 * Whether the session may call the operation, checked by core before it looks at the input
 * (DESIGN.md section 6a): an unauthorised caller gets FORBIDDEN whatever it sent, so it learns
 * nothing about the operation's input rules or the data behind them. Answers who the call acts as
 * (recorded in the audit log), or the refusal.
 *
 * A terminal with no operator yet (a new data folder, a store from before operators) is not
 * configured: a signed-out session acts as the host's local administrator (`unconfigured`, the
 * name the host records, e.g. the CLI's), as before operators existed, and the app offers to
 * create the first admin. Once an operator exists, nobody acts without signing in.
 *
 * A signed-in session is checked against its operator's row on every call: the role it has now,
 * and a removed operator signed out (FORBIDDEN for anything but signing in and asking who is).
 */
export function authorise(
  store: Store,
  session: Session,
  name: string,
  allowed: OperationRoles,
  unconfigured: string | null,
): { ok: true; operator: string | null } | { ok: false; error: DomainError } {
  const { removed } = refreshCaller(store, session);
  let operator = session.caller?.name ?? null;
  if (allowed !== anyone) {
    const { caller } = session;
    if (caller === null) {
      if (removed) return { ok: false, error: new DomainError('FORBIDDEN', removedOperatorMessage) };
      if (hasOperators(store)) return { ok: false, error: new DomainError('FORBIDDEN', 'Sign in first: this needs an operator signed in') };
      operator = unconfigured;
    } else if (!roleAllows(allowed, caller.role)) {
      return { ok: false, error: roleRefusal(caller.role, allowed) };
    }
  }
  if (!operationsAtLockedStation.has(name) && stationLocked(store)) return { ok: false, error: new DomainError('FORBIDDEN', lockedStationMessage) };
  return { ok: true, operator };
}
