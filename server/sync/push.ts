import { sql, type Transaction } from 'kysely';
import type { Clock } from '../../core/clock.ts';
import { eventIdOf, type AnyCommand } from '../../core/commands/command.ts';
import type { Conflict } from '../../core/commands/conflict.ts';
import { commandKey, type Envelope } from '../../core/commands/envelope.ts';
import { NothingChanged } from '../../core/commands/nothing-changed.ts';
import { runBodyOnPostgres, runEnvelopeOnPostgres } from '../../core/commands/postgres-driver.ts';
import { commandTx } from '../../core/commands/tx.ts';
import { scanCommand, type ScanInput } from '../../core/checkin/scan.ts';
import { recordScanFacts } from '../../core/checkin/scan-facts.ts';
import { commandRegistry, type CommandRegistry } from '../../core/commands/registry.ts';
import { DomainError, invalid } from '../../core/errors.ts';
import { nameKey } from '../../core/operators/operators.ts';
import type { Role } from '../../core/operators/roles.ts';
import type { DeviceRole, PushResponse, Receipt } from '../../sync/protocol.ts';
import type { ServerDatabase } from '../db/database.ts';
import type { ReceiptTable, ServerDB } from '../db/schema.ts';
import type { Device } from '../devices/enrolment.ts';

/**
 * A device's push (DESIGN.md section 6, "Up"): its envelopes in seq order, run authoritatively
 * through the same bodies the terminal ran, in one transaction that also stores each receipt and
 * the device's `last_seq`, so effects and acknowledgement commit together or not at all.
 *
 * - `seq <= last_seq`: already taken; the stored receipt is answered again and nothing runs twice.
 * - `seq > last_seq + 1`: a gap; the server stops there and answers its `last_seq`.
 * - otherwise the command runs under a savepoint. A rejection (a rule refused it, a role may not
 *   run it) rolls its effects back and keeps its receipt: a 200 with a per-command status, never an
 *   error that would block the device's queue.
 *
 * Commands of one event are serialised on its `event_versions` row, taken FOR UPDATE before any
 * command runs (in scope order, so two pushes never wait on each other in a circle), and every row
 * the transaction writes is stamped with the scope's next version (migration 0002's trigger).
 *
 * While the event's row is held, every round trip to the database counts: the other terminals'
 * pushes wait for it. A scan (bench/server.bench.ts) took 12 round trips, 2.5 to 3.4 ms on
 * PostgreSQL on the loaded 2-core VM, of which four were the push's own: a savepoint and its
 * release, the probe for an earlier receipt of the envelope and the receipt's INSERT. So the
 * receipts of a batch are probed in one query and stored in one INSERT, and commands run without
 * savepoints (a 100-scan push 12 to 19% faster): a command that is rejected (rare: facts never are)
 * makes the whole push run again with a savepoint around each command, which undoes a rejected
 * command's effects alone. The scan body's own 8 to 10 round trips were still the most of a push
 * of scans (about 400 scans a second): a run of consecutive scan facts is recorded together, in a
 * few set-based statements (core/checkin/scan-facts.ts), giving each its own receipt.
 */

export interface PushOutcome {
  response: PushResponse;
  /** The scopes this push moved to a new version, with it (the live announcement). */
  versions: Record<string, number>;
}

type Trx = Transaction<ServerDB>;

/** A device role's reach, in operator roles: a gate does what a steward does. */
const deviceRoleCaps: Readonly<Record<DeviceRole, Role>> = { gate: 'steward', box_office: 'box_office', supervisor: 'supervisor', admin: 'admin' };

const operatorRoleOrder: readonly Role[] = ['steward', 'box_office', 'supervisor', 'admin'];

// A deadlock between two pushes (one that took a scope lazily) or a serialization failure: the
// whole push is run again, it commits nothing when it fails.
const retriedSqlStates = new Set(['40P01', '40001']);
const maxAttempts = 5;

export async function pushEnvelopes(
  db: ServerDatabase,
  clock: Clock,
  device: Device,
  envelopes: readonly Envelope[],
  registry: CommandRegistry = commandRegistry,
): Promise<PushOutcome> {
  envelopes.forEach((envelope, index) => {
    if (envelope.deviceId !== device.id) throw invalid(`Envelope ${index} was written by device ${envelope.deviceId}, not by the device pushing it`, `envelopes.${index}.deviceId`);
    if (envelope.seq === null) throw invalid(`Envelope ${index} (${commandKey(envelope)}) is a local command: it never leaves its terminal`, `envelopes.${index}.seq`);
  });
  let savepoints = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute((trx) => pushInTransaction(trx, clock, device, envelopes, registry, savepoints));
    } catch (error) {
      if (error instanceof RejectedWithoutSavepoint && !savepoints) {
        savepoints = true;
        continue;
      }
      if (attempt < maxAttempts && retriedSqlStates.has(sqlStateOf(error) ?? '')) continue;
      throw error;
    }
  }
}

/** A command was rejected in a push run without savepoints: its effects so far go only with the whole transaction. */
class RejectedWithoutSavepoint extends Error {}

async function pushInTransaction(
  trx: Trx,
  clock: Clock,
  device: Device,
  envelopes: readonly Envelope[],
  registry: CommandRegistry,
  savepoints: boolean,
): Promise<PushOutcome> {
  const now = clock.now().toISOString();
  // The device's row first: two pushes of one device (a retry racing the original) take turns.
  const { last_seq: storedLastSeq } = await trx.selectFrom('devices').select('last_seq').where('id', '=', device.id).forUpdate().executeTakeFirstOrThrow();
  let lastSeq = storedLastSeq;
  const pending = envelopes.filter((envelope) => envelope.seq! > lastSeq);
  // What needs no event's lock is done before taking it, so the other pushes wait less: the
  // device's new last seq (every envelope up to a gap gets its receipt, or nothing commits), the
  // envelopes' earlier receipts (only this device, whose row is held, writes them) and which are
  // scan facts this device and their operators may push.
  await trx.updateTable('devices').set({ last_seq: acknowledgedUpTo(envelopes, storedLastSeq), last_seen_at: now }).where('id', '=', device.id).execute();
  const earlier = await receiptsOf(trx, pending);
  const operatorRoles = new Map<string, Role | null>();
  const scanFacts = new Map<Envelope, ScanFactEnvelope>();
  if (!savepoints) {
    for (const envelope of pending) {
      const fact = await scanFactOf(trx, device, envelope, registry, operatorRoles);
      if (fact) scanFacts.set(envelope, fact);
    }
  }
  const scopes = scopesOf(pending);
  // The version of the rows of no event, when this push does not take that scope: it is not
  // locked, so it is read now, before the event's row, not while holding it.
  const noEvent = scopes.includes('') ? {} : await versionsOf(trx, ['']);
  const before = { ...(await lockScopes(trx, scopes)), ...noEvent };
  const receipts: Receipt[] = [];
  const stored: ReceiptTable[] = [];
  const took = (envelope: Envelope, receipt: Receipt) => {
    const row = receiptRow(device.id, envelope, receipt, now);
    stored.push(row);
    earlier.set(envelope.id, row);
    receipts.push(receipt);
  };
  // Consecutive scan facts, recorded together when the next envelope is not one (a rejection among
  // them runs the push again with savepoints, where each command runs alone).
  const facts: ScanFactEnvelope[] = [];
  const recordFacts = async () => {
    if (facts.length === 0) return;
    for (const [index, receipt] of (await recordScanFactRun(trx, facts)).entries()) took(facts[index]!.envelope, receipt);
    facts.length = 0;
  };
  let gap = false;
  for (const envelope of envelopes) {
    const seq = envelope.seq!;
    if (seq <= lastSeq) {
      receipts.push(await storedReceipt(trx, device.id, envelope));
      continue;
    }
    if (seq > lastSeq + 1) {
      gap = true;
      break;
    }
    const fact = scanFacts.get(envelope);
    if (fact && !earlier.has(envelope.id) && !facts.some((other) => other.envelope.id === envelope.id)) {
      facts.push(fact);
      lastSeq = seq;
      continue;
    }
    await recordFacts();
    const taken = earlier.get(envelope.id);
    if (taken) {
      // The same envelope under a new seq (a terminal that lost its acknowledgement and renumbered):
      // it took effect once already.
      receipts.push({ ...receiptOfRow(taken), seq });
    } else {
      took(envelope, await runOne(trx, device, envelope, registry, operatorRoles, savepoints));
    }
    lastSeq = seq;
  }
  await recordFacts();
  if (stored.length > 0) await trx.insertInto('receipts').values(stored).execute();
  const after = await versionsOf(trx, [...new Set(['', ...Object.keys(before)])]);
  const versions: Record<string, number> = {};
  for (const [scope, version] of Object.entries(after)) if (version !== (before[scope] ?? 0)) versions[scope] = version;
  return { response: { receipts, lastSeq, ...(gap ? { gap: true } : {}), serverTime: now }, versions };
}

/** The last seq a push acknowledges: the envelopes' seqs follow on from `lastSeq` up to a gap. */
function acknowledgedUpTo(envelopes: readonly Envelope[], lastSeq: number): number {
  let upTo = lastSeq;
  for (const { seq } of envelopes) {
    if (seq! > upTo + 1) break;
    upTo = Math.max(upTo, seq!);
  }
  return upTo;
}

/** The scopes the envelopes name: their events, and '' for commands of no event. */
function scopesOf(envelopes: readonly Envelope[]): string[] {
  return [...new Set(envelopes.map((envelope) => envelope.eventId ?? ''))].sort();
}

/** Takes the scopes' rows in `event_versions` (made on a scope's first push), in scope order: their versions before this push. */
async function lockScopes(trx: Trx, scopes: readonly string[]): Promise<Record<string, number>> {
  if (scopes.length === 0) return {};
  const locked = () => trx.selectFrom('event_versions').select(['scope', 'version']).where('scope', 'in', scopes).orderBy('scope').forUpdate().execute();
  // A scope's row is made on its first push; every later push only takes it (one round trip less).
  let rows = await locked();
  if (rows.length < scopes.length) {
    await trx
      .insertInto('event_versions')
      .values(scopes.map((scope) => ({ scope, version: 0 })))
      .onConflict((oc) => oc.column('scope').doNothing())
      .execute();
    rows = await locked();
  }
  return Object.fromEntries(rows.map((row) => [row.scope, Number(row.version)]));
}

async function versionsOf(trx: Trx, scopes: readonly string[]): Promise<Record<string, number>> {
  const rows = await trx.selectFrom('event_versions').select(['scope', 'version']).where('scope', 'in', scopes).execute();
  return Object.fromEntries(rows.map((row) => [row.scope, Number(row.version)]));
}

/** The receipts stored already for any of these envelopes, by envelope id (one query for the batch). */
async function receiptsOf(trx: Trx, envelopes: readonly Envelope[]): Promise<Map<string, ReceiptTable>> {
  if (envelopes.length === 0) return new Map();
  const rows = await trx
    .selectFrom('receipts')
    .selectAll()
    .where('envelope_id', 'in', envelopes.map((envelope) => envelope.id))
    .execute();
  return new Map(rows.map((row) => [row.envelope_id, row]));
}

async function runOne(
  trx: Trx,
  device: Device,
  envelope: Envelope,
  registry: CommandRegistry,
  operatorRoles: Map<string, Role | null>,
  savepoints: boolean,
): Promise<Receipt> {
  const base = { id: envelope.id, seq: envelope.seq! };
  const command = registry.get(commandKey(envelope));
  if (!command) return rejected(base, 'not_found', `This server cannot run ${commandKey(envelope)}: update the server`);
  if (!command.body) return rejected(base, 'invalid', `${commandKey(envelope)} is local to a terminal: it never syncs`);
  const refusal = await refusalOf(trx, device, envelope, command, operatorRoles);
  if (refusal) return rejected(base, 'forbidden', refusal);
  if (savepoints) await sql`SAVEPOINT command`.execute(trx);
  try {
    const { conflicts } = await runEnvelopeOnPostgres(trx, command, envelope);
    if (savepoints) await sql`RELEASE SAVEPOINT command`.execute(trx);
    return conflicts.length > 0 ? { ...base, status: 'applied_with_conflict', conflicts: [...conflicts] } : { ...base, status: 'applied' };
  } catch (error) {
    const nothingChanged = error instanceof NothingChanged;
    const rejection = nothingChanged ? undefined : rejectionOf(error);
    if (!rejection && !nothingChanged) throw error;
    // Undoing this command's writes alone needs its savepoint: run the push again with them.
    if (!savepoints) throw new RejectedWithoutSavepoint(rejection?.message ?? 'The command changes nothing', { cause: error });
    await sql`ROLLBACK TO SAVEPOINT command`.execute(trx);
    await sql`RELEASE SAVEPOINT command`.execute(trx);
    // A body with nothing left to do (an import batch of rows the server has) took effect all the same.
    return rejection ? rejected(base, rejection.code, rejection.message, rejection.field) : { ...base, status: 'applied' };
  }
}

/** A scan fact (`checkin.scan@1` whose args carry what was decided) the device may push, with its parsed args. */
interface ScanFactEnvelope {
  envelope: Envelope;
  input: ScanInput;
}

/** The envelope as a scan fact to record with the others of its run; undefined for anything else (run alone, by runOne). */
async function scanFactOf(
  trx: Trx,
  device: Device,
  envelope: Envelope,
  registry: CommandRegistry,
  operatorRoles: Map<string, Role | null>,
): Promise<ScanFactEnvelope | undefined> {
  const command = registry.get(commandKey(envelope));
  if (command !== scanCommand) return undefined;
  const args = scanCommand.input.safeParse(envelope.args);
  if (!args.success || args.data.reason === undefined) return undefined;
  if (await refusalOf(trx, device, envelope, command, operatorRoles)) return undefined;
  return { envelope, input: args.data };
}

/**
 * Records a run of scan facts in a few set-based statements (core/checkin/scan-facts.ts): the
 * same rows as running each body in turn, one receipt each, with its own conflicts. While the
 * event's row is held each round trip counts, and a fact run alone took 8 to 10. A fact the
 * store refuses (its event or gate unknown here) fails the run: the push runs again with
 * savepoints, each command alone, so only that one is rejected.
 */
async function recordScanFactRun(trx: Trx, facts: readonly ScanFactEnvelope[]): Promise<Receipt[]> {
  const recorded = facts.map(({ envelope, input }) => ({ tx: commandTx({ ...envelope, args: input }), input }));
  try {
    await runBodyOnPostgres(trx, recordScanFacts(recorded[0]!.tx, recorded));
  } catch (error) {
    const rejection = rejectionOf(error);
    if (!rejection) throw error;
    throw new RejectedWithoutSavepoint(rejection.message, { cause: error });
  }
  return facts.map(({ envelope }, index) => {
    const base = { id: envelope.id, seq: envelope.seq! };
    const { conflicts } = recorded[index]!.tx;
    return conflicts.length > 0 ? { ...base, status: 'applied_with_conflict', conflicts: [...conflicts] } : { ...base, status: 'applied' };
  });
}

/** Why this device and this envelope's operator may not run the command; undefined when they may. */
async function refusalOf(trx: Trx, device: Device, envelope: Envelope, command: AnyCommand, operatorRoles: Map<string, Role | null>): Promise<string | undefined> {
  const allowed = command.roles ?? ['admin'];
  const cap = deviceRoleCaps[device.role];
  if (!allowed.some((role) => operatorRoleOrder.indexOf(role) <= operatorRoleOrder.indexOf(cap))) {
    return `A ${device.role.replace('_', ' ')} terminal may not run ${envelope.name}`;
  }
  // The envelope's event decides the lock and the device's reach, the args what the body writes:
  // they must agree, or an envelope naming no event could write another event's rows.
  const args = command.input.safeParse(envelope.args);
  if (args.success && eventIdOf(command, args.data) !== envelope.eventId) {
    return `${envelope.name}'s envelope names event ${envelope.eventId ?? 'none'} but its arguments event ${eventIdOf(command, args.data) ?? 'none'}`;
  }
  if (device.event_id !== null && envelope.eventId !== null && envelope.eventId !== device.event_id) {
    return `This terminal is enrolled for another event than the one ${envelope.name} is for`;
  }
  if (envelope.operator === null) return `${envelope.name} names no operator: sign in with an operator of this server`;
  if (!operatorRoles.has(envelope.operator)) {
    const row = await trx.selectFrom('operators').select('role').where('name_key', '=', nameKey(envelope.operator)).where('deleted_at', 'is', null).executeTakeFirst();
    operatorRoles.set(envelope.operator, row?.role ?? null);
  }
  const role = operatorRoles.get(envelope.operator);
  if (!role) return `${envelope.operator} is not an operator of this server`;
  if (!allowed.includes(role)) return `${envelope.operator} (${role.replace('_', ' ')}) may not run ${envelope.name}`;
  return undefined;
}

/**
 * What a failed body means for its receipt: a domain error is a rejection with its code; a broken
 * constraint or a value PostgreSQL refuses is a rejection too (the command's data, not the server,
 * is at fault). Anything else (a lost connection, a deadlock) fails the whole push.
 */
function rejectionOf(error: unknown): { code: string; message: string; field?: string | undefined } | undefined {
  if (error instanceof DomainError) return { code: error.code.toLowerCase(), message: error.message, field: error.field };
  const state = sqlStateOf(error);
  if (state?.startsWith('23')) return { code: 'conflict', message: 'This command conflicts with what the server holds (a key or a reference it names)' };
  if (state?.startsWith('22')) return { code: 'invalid', message: 'This command holds a value the server cannot store' };
  return undefined;
}

function sqlStateOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function rejected(base: { id: string; seq: number }, code: string, message: string, field?: string): Receipt {
  return { ...base, status: 'rejected', code, message, ...(field === undefined ? {} : { field }) };
}

async function storedReceipt(trx: Trx, deviceId: string, envelope: Envelope): Promise<Receipt> {
  const row = await trx.selectFrom('receipts').selectAll().where('device_id', '=', deviceId).where('seq', '=', envelope.seq!).executeTakeFirst();
  // A seq acknowledged under another envelope id's receipt (see above): it is acknowledged all the same.
  return row ? receiptOfRow(row) : { id: envelope.id, seq: envelope.seq!, status: 'applied' };
}

function receiptOfRow(row: ReceiptTable): Receipt {
  return {
    id: row.envelope_id,
    seq: Number(row.seq),
    status: row.status,
    ...(row.conflicts === null ? {} : { conflicts: JSON.parse(row.conflicts) as Conflict[] }),
    ...(row.code === null ? {} : { code: row.code }),
    ...(row.message === null ? {} : { message: row.message }),
    ...(row.field === null ? {} : { field: row.field }),
  };
}

/** The row a receipt is stored as, with its envelope (the server's journal). */
export function receiptRow(deviceId: string, envelope: Envelope, receipt: Receipt, now: string): ReceiptTable {
  return {
    envelope_id: envelope.id,
    device_id: deviceId,
    seq: envelope.seq!,
    name: envelope.name,
    version: envelope.version,
    event_id: envelope.eventId,
    operator: envelope.operator,
    hlc: envelope.hlc,
    at: envelope.at,
    args: JSON.stringify(envelope.args),
    status: receipt.status,
    code: receipt.code ?? null,
    message: receipt.message ?? null,
    field: receipt.field ?? null,
    conflicts: receipt.conflicts ? JSON.stringify(receipt.conflicts) : null,
    received_at: now,
  };
}
