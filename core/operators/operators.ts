import { z } from 'zod';
import { sql, type Store } from '../../db/store.ts';
import { defineCommand, runCommand, type CoreContext } from '../commands/command.ts';
import { conflict, DomainError, notFound } from '../errors.ts';
import { hashPin, pinMatches } from '../station/pin-hash.ts';
import { clearNameFailures, readNameFailures, recordNameFailure, tooManyWrongPins, waitAfterFailures, waitText } from './lockout.ts';
import type { CurrentOperator } from './operators.contract.ts';
import { roleSchema, type Role } from './roles.ts';
import { sessionOf, type Caller } from './session.ts';

/**
 * Operators: create, list, change (role, PIN), remove, sign in and out. PINs are never command input: the outbox and the
 * audit log record that an operator was added or signed in, never the PIN or its hash; the hash
 * is computed before the transaction (scrypt is slow on purpose) and handed in by closure.
 */

/** Names are one person whatever their case or surrounding spaces. */
export const nameKey = (name: string) => name.trim().toLowerCase();

interface OperatorRow {
  id: string;
  name: string;
  name_key: string;
  role: Role;
  pin_hash: string;
  created_at: string;
}

const operatorColumns = ['id', 'name', 'name_key', 'role', 'pin_hash', 'created_at'] as const;

function findOperator(store: Store, name: string): OperatorRow | undefined {
  return store.first(sql.selectFrom('operators').select(operatorColumns).where('name_key', '=', nameKey(name)).where('deleted_at', 'is', null));
}

/** The operator with this id, not removed, or NOT_FOUND naming `operatorId`. */
function requireOperator(store: Store, operatorId: string): OperatorRow {
  const row = store.first(sql.selectFrom('operators').select(operatorColumns).where('id', '=', operatorId).where('deleted_at', 'is', null));
  if (!row) throw notFound('No such operator: they may have been removed already (the list shows who is here now)', 'operatorId');
  return row;
}

function summaryOf(row: Pick<OperatorRow, 'id' | 'name' | 'role' | 'created_at'>) {
  return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at };
}

/**
 * A terminal with operators always keeps an admin: only an admin adds operators and changes roles,
 * so without one nobody could (DESIGN.md 6a). Refuses taking the last admin's role or removing them.
 */
function refuseLosingLastAdmin(store: Store, row: OperatorRow, field: string, doing: string): void {
  if (row.role !== 'admin') return;
  const admins = store.first(
    sql.selectFrom('operators').select((eb) => eb.fn.countAll<number>().as('n')).where('role', '=', 'admin').where('deleted_at', 'is', null),
  );
  if ((admins?.n ?? 0) <= 1) throw conflict(`${row.name} is the last admin: make another operator an admin before ${doing}`, field);
}

/** Whether this terminal has any operator; until it has, it is not configured (first run). */
export function hasOperators(store: Store): boolean {
  return store.statement('SELECT 1 FROM operators WHERE deleted_at IS NULL LIMIT 1').get() !== undefined;
}

/** The operator named `name` as a caller (the CLI's --operator), or NOT_FOUND. */
export function callerNamed(store: Store, name: string): Caller {
  const row = findOperator(store, name);
  if (!row) throw new DomainError('NOT_FOUND', `No operator is named ${name.trim()} (box-office operators list shows them)`, 'operator');
  return { name: row.name, role: row.role, operatorId: row.id };
}

/**
 * Local, like the station PIN: the args hold the PIN's scrypt hash, never the PIN, and never leave
 * this terminal. Once the central server exists, operators come down from it (DESIGN.md 6a);
 * an operator added here is this terminal's own.
 */
export const addOperatorCommand = defineCommand({
  name: 'operators.add',
  version: 1,
  local: true,
  input: z.object({ name: z.string(), role: roleSchema, pinHash: z.string() }),
  apply(scope, input) {
    if (findOperator(scope.store, input.name)) throw conflict(`An operator named ${input.name} exists already`, 'name');
    const id = scope.nextId();
    scope.store.run(
      sql.insertInto('operators').values({
        id,
        name: input.name,
        name_key: nameKey(input.name),
        role: input.role,
        pin_hash: input.pinHash,
        created_at: scope.now,
        updated_at: scope.now,
        server_version: null,
        deleted_at: null,
      }),
    );
    scope.audit({ entity: 'operator', entityId: id, after: { name: input.name, role: input.role } });
    return { id, name: input.name, role: input.role, createdAt: scope.now };
  },
});

export function addOperator(context: CoreContext, input: { name: string; role: Role; pin: string }) {
  // Checked before hashing too, so a taken name answers at once; the command checks again inside its transaction.
  if (findOperator(context.store, input.name)) throw conflict(`An operator named ${input.name} exists already`, 'name');
  return runCommand(context, addOperatorCommand, { name: input.name, role: input.role, pinHash: hashPin(input.pin) });
}

export function listOperators(store: Store) {
  const rows = store.all(
    sql.selectFrom('operators').select(['id', 'name', 'role', 'created_at']).where('deleted_at', 'is', null).orderBy('name_key'),
  );
  return { operators: rows.map(summaryOf) };
}

/**
 * Local like operators.add: a new PIN arrives as its scrypt hash, never as the PIN. A new PIN also
 * clears the name's wrong-PIN count, so an operator locked out for forgetting theirs signs in at once.
 * Nothing to change (the same role, no PIN) writes nothing, not even an audit entry.
 */
export const updateOperatorCommand = defineCommand({
  name: 'operators.update',
  version: 1,
  local: true,
  input: z.object({ operatorId: z.string(), role: roleSchema.optional(), pinHash: z.string().optional() }),
  apply(scope, input) {
    const row = requireOperator(scope.store, input.operatorId);
    const role = input.role ?? row.role;
    if (role === row.role && input.pinHash === undefined) return summaryOf(row);
    if (role !== 'admin') refuseLosingLastAdmin(scope.store, row, 'role', 'giving them another role');
    scope.store.run(
      sql
        .updateTable('operators')
        .set({ role, updated_at: scope.now, ...(input.pinHash === undefined ? {} : { pin_hash: input.pinHash }) })
        .where('id', '=', row.id),
    );
    if (input.pinHash !== undefined) clearNameFailures(scope.store, row.name_key);
    scope.audit({
      entity: 'operator',
      entityId: row.id,
      before: { role: row.role },
      after: { role, ...(input.pinHash === undefined ? {} : { pinReset: true }) },
    });
    return summaryOf({ ...row, role });
  },
});

export function updateOperator(context: CoreContext, input: { operatorId: string; role?: Role | undefined; pin?: string | undefined }) {
  // Checked before hashing too, so an unknown operator answers at once; the command checks again inside its transaction.
  const row = requireOperator(context.store, input.operatorId);
  if (input.pin === undefined && input.role === row.role) return summaryOf(row);
  return runCommand(context, updateOperatorCommand, {
    operatorId: input.operatorId,
    ...(input.role === undefined ? {} : { role: input.role }),
    ...(input.pin === undefined ? {} : { pinHash: hashPin(input.pin) }),
  });
}

/**
 * A tombstone (`deleted_at`), as every synced row: the name is free again, signing in as them is
 * refused, and a window still signed in as them is signed out at its next call (access.ts).
 */
export const removeOperatorCommand = defineCommand({
  name: 'operators.remove',
  version: 1,
  local: true,
  input: z.object({ operatorId: z.string() }),
  apply(scope, input) {
    const row = requireOperator(scope.store, input.operatorId);
    refuseLosingLastAdmin(scope.store, row, 'operatorId', 'removing them');
    scope.store.run(sql.updateTable('operators').set({ deleted_at: scope.now, updated_at: scope.now }).where('id', '=', row.id));
    scope.audit({ entity: 'operator', entityId: row.id, before: { name: row.name, role: row.role }, after: { removed: true } });
    return { id: row.id, name: row.name };
  },
});

export function removeOperator(context: CoreContext, input: { operatorId: string }) {
  // Removing yourself would sign this window out mid-task: another admin does it.
  if (sessionOf(context).caller?.operatorId === input.operatorId) throw conflict('You are signed in as this operator: another admin can remove you', 'operatorId');
  return runCommand(context, removeOperatorCommand, input);
}

export function currentOperator(context: CoreContext): CurrentOperator {
  const { caller } = sessionOf(context);
  return { operator: caller ? { name: caller.name, role: caller.role } : null, firstRun: !hasOperators(context.store) };
}

/** Sign-ins are this terminal's business (the audit keeps them); they never sync. */
export const signedInCommand = defineCommand({
  name: 'operators.signIn',
  version: 1,
  local: true,
  input: z.object({ operatorId: z.string(), nameKey: z.string() }),
  apply(scope, input) {
    clearNameFailures(scope.store, input.nameKey);
    scope.audit({ entity: 'operator', entityId: input.operatorId, after: { signedIn: true } });
  },
});

export const signInRefusedCommand = defineCommand({
  name: 'operators.signInRefused',
  version: 1,
  local: true,
  input: z.object({ nameKey: z.string() }),
  apply(scope, input) {
    const counted = recordNameFailure(scope.store, input.nameKey, scope.now);
    scope.audit({ entity: 'operator_sign_in', entityId: input.nameKey, after: { failures: counted.failures } });
    return counted;
  },
});

/** Compared against when the name is unknown, so a wrong name costs the same time as a wrong PIN. */
let unknownNameHash: string | undefined;

export function signIn(context: CoreContext, input: { name: string; pin: string }): CurrentOperator {
  const session = sessionOf(context);
  const now = context.clock.now().getTime();
  const key = nameKey(input.name);
  if (session.blockedUntil > now) throw tooManyWrongPins(session.blockedUntil, now);
  const byName = readNameFailures(context.store, key);
  if (byName.blockedUntil > now) throw tooManyWrongPins(byName.blockedUntil, now);

  const row = findOperator(context.store, input.name);
  const right = row ? pinMatches(input.pin, row.pin_hash) : pinMatches(input.pin, (unknownNameHash ??= hashPin('unknown-name')));
  if (!row || !right) {
    const counted = runCommand(context, signInRefusedCommand, { nameKey: key });
    session.failures += 1;
    const sessionWait = waitAfterFailures(session.failures);
    if (sessionWait > 0) session.blockedUntil = now + sessionWait * 1000;
    const wait = Math.max(sessionWait, waitAfterFailures(counted.failures));
    // One message for an unknown name and a wrong PIN: a guesser learns neither.
    throw new DomainError('FORBIDDEN', wait > 0 ? `Wrong name or PIN. Wait ${waitText(wait)} before the next try` : 'Wrong name or PIN', 'pin');
  }
  runCommand({ ...context, operator: row.name }, signedInCommand, { operatorId: row.id, nameKey: key });
  session.caller = { name: row.name, role: row.role, operatorId: row.id };
  session.failures = 0;
  session.blockedUntil = 0;
  return currentOperator(context);
}

export function signOut(context: CoreContext): CurrentOperator {
  sessionOf(context).caller = null;
  return currentOperator(context);
}

/** First run: the first operator is an admin, created by whoever sets the terminal up, and signed in. */
export function createFirstAdmin(context: CoreContext, input: { name: string; pin: string }): CurrentOperator {
  if (hasOperators(context.store)) throw new DomainError('FORBIDDEN', 'The first admin exists already: sign in, or ask an admin to add you', 'name');
  const created = addOperator(context, { ...input, role: 'admin' });
  sessionOf(context).caller = { name: created.name, role: 'admin', operatorId: created.id };
  return currentOperator(context);
}
