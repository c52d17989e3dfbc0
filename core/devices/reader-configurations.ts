import { sql, type Store } from '../../db/store.ts';
import type { ReaderTable } from '../../db/schema.ts';
import { defineCommand } from '../commands/command.ts';
import { conflict, notFound } from '../errors.ts';
import { idSchema } from '../fields.ts';
import { z } from 'zod';
import {
  addReaderInput,
  driverOptionsSchemas,
  type HidPosOptions,
  type ReaderDriverName,
  type SerialBarcodeOptions,
} from '../readers/readers.contract.ts';

/** A reader as the device manager runs it: the stored row with its options parsed. */
export type ReaderConfiguration = {
  id: string;
  name: string;
  path: string | null;
  vendorId: number | null;
  productId: number | null;
  createdAt: string;
} & (
  | { driver: 'pn532'; options: Record<string, never> }
  | { driver: 'serial-barcode'; options: SerialBarcodeOptions }
  | { driver: 'hid-pos'; options: HidPosOptions }
  | { driver: 'simulated'; options: Record<string, never> }
);

const hex4 = (value: number) => value.toString(16).padStart(4, '0');

export function usbIdText(vendorId: number | null, productId: number | null): string | null {
  return vendorId === null || productId === null ? null : `${hex4(vendorId)}:${hex4(productId)}`;
}

function parseOptions(driver: ReaderDriverName, json: string): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  // A row written by an older build may lack newer options (defaults fill them) or hold values
  // this build refuses; the reader then runs with the defaults rather than not at all.
  const parsed = driverOptionsSchemas[driver].safeParse(raw);
  return parsed.success ? parsed.data : driverOptionsSchemas[driver].parse({});
}

export function toConfiguration(row: ReaderTable): ReaderConfiguration {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    vendorId: row.vendor_id,
    productId: row.product_id,
    createdAt: row.created_at,
    driver: row.driver,
    options: parseOptions(row.driver, row.options),
  } as ReaderConfiguration;
}

export function listReaderConfigurations(store: Store): ReaderConfiguration[] {
  return store.all(sql.selectFrom('readers').selectAll().orderBy('created_at').orderBy('id')).map(toConfiguration);
}

export function findReaderConfiguration(store: Store, readerId: string): ReaderConfiguration | undefined {
  const row = store.first(sql.selectFrom('readers').selectAll().where('id', '=', readerId));
  return row ? toConfiguration(row) : undefined;
}

export const addReader = defineCommand({
  name: 'readers.add',
  version: 1,
  local: true,
  input: addReaderInput,
  apply(scope, input): ReaderConfiguration {
    const same = scope.store.statement('SELECT id FROM readers WHERE name = ? COLLATE NOCASE').get(input.name);
    if (same) throw conflict(`A reader named "${input.name}" exists already: choose another name`, 'name');
    const [vendor, product] = input.usbId === null ? [null, null] : input.usbId.split(':').map((part) => parseInt(part, 16));
    const row: ReaderTable = {
      id: scope.nextId(),
      name: input.name,
      driver: input.driver,
      path: input.path,
      vendor_id: vendor ?? null,
      product_id: product ?? null,
      options: JSON.stringify(input.options),
      created_at: scope.now,
      updated_at: scope.now,
    };
    scope.store.run(sql.insertInto('readers').values(row));
    const { created_at: _created, updated_at: _updated, ...after } = row;
    scope.audit({ entity: 'reader', entityId: row.id, after: { ...after, options: input.options } });
    return toConfiguration(row);
  },
});

export const removeReader = defineCommand({
  name: 'readers.remove',
  version: 1,
  local: true,
  input: z.object({ readerId: idSchema }),
  apply(scope, input): { readerId: string } {
    const row = scope.store.first(sql.selectFrom('readers').selectAll().where('id', '=', input.readerId));
    if (!row) throw notFound(`No reader ${input.readerId} is configured at this terminal`, 'readerId');
    scope.store.run(sql.deleteFrom('readers').where('id', '=', row.id));
    const { created_at: _created, updated_at: _updated, ...before } = row;
    scope.audit({ entity: 'reader', entityId: row.id, before: { ...before, options: JSON.parse(row.options) as unknown } });
    return { readerId: row.id };
  },
});
