import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import { conflict } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { addOperatorInput, operatorSummarySchema } from '../../core/operators/operators.contract.ts';
import { nameKey } from '../../core/operators/operators.ts';
import { hashPin } from '../../core/station/pin-hash.ts';
import type { ServerDatabase } from '../db/database.ts';

/**
 * Operators on the server: rows of the synced `operators` table, the same columns a terminal writes
 * (db/migrations/0008_operators.ts), which every terminal receives to check PINs offline (DESIGN.md
 * 6a). The name, role and PIN rules are the terminal's (core/operators/operators.contract.ts); the
 * PIN is kept only as its scrypt hash; names are unique whatever their case.
 */

export { addOperatorInput };
export type AddOperatorInput = z.output<typeof addOperatorInput>;
export const serverOperatorSchema = operatorSummarySchema;
export type ServerOperator = z.infer<typeof serverOperatorSchema>;

const taken = (name: string) => conflict(`An operator named ${name} exists already`, 'name');

export async function addOperator(db: ServerDatabase, clock: Clock, input: AddOperatorInput): Promise<ServerOperator> {
  const key = nameKey(input.name);
  // Checked before hashing (scrypt is slow on purpose), so a taken name answers at once.
  if (await db.selectFrom('operators').select('id').where('name_key', '=', key).where('deleted_at', 'is', null).executeTakeFirst()) throw taken(input.name);
  const pinHash = hashPin(input.pin);
  const id = newId();
  const now = clock.now().toISOString();
  try {
    await db
      .insertInto('operators')
      .values({ id, name: input.name, name_key: key, role: input.role, pin_hash: pinHash, created_at: now, updated_at: now, server_version: null, deleted_at: null })
      .execute();
  } catch (error) {
    // Two administrators adding one name at once: the unique index on name_key refuses the second.
    if ((error as { code?: unknown }).code === '23505') throw taken(input.name);
    throw error;
  }
  return { id, name: input.name, role: input.role, createdAt: now };
}

export async function listOperators(db: ServerDatabase): Promise<ServerOperator[]> {
  const rows = await db.selectFrom('operators').select(['id', 'name', 'role', 'created_at']).where('deleted_at', 'is', null).orderBy('name_key').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, role: row.role, createdAt: row.created_at }));
}
