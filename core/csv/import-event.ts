import { z } from 'zod';
import { defineCommand } from '../commands/command.ts';
import { query } from '../commands/query-builder.ts';
import { idSchema } from '../fields.ts';
import { rolesFrom } from '../operators/roles.ts';

export const importedEventDefaults = { name: 'Imported event', currency: 'EUR', timeZone: 'UTC' } as const;

/**
 * Creates the event an import fills when the data folder has none yet (a fresh install importing
 * its first customer list). Its id is the command's first derived id (envelope.ts `derivedId`), so
 * the server and a replay create the same event. Envelopes written before carry the id their
 * caller chose in `id`, which is kept so they replay as they ran.
 */
export const createImportedEvent = defineCommand({
  name: 'import.createEvent',
  version: 1,
  roles: rolesFrom('admin'),
  // The import's batches are durable (import-batch.ts); the event they belong to must be too.
  durable: true,
  input: z.object({
    id: idSchema.optional(),
    name: z.string().trim().min(1).max(200),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Currency must be an ISO-4217 code such as EUR'),
    timeZone: z.string().min(1).max(64),
  }),
  *body(tx, input) {
    const id = input.id ?? tx.nextId();
    yield* tx.run(
      query.insertInto('events').values({
        id,
        name: input.name,
        starts_at: null,
        ends_at: null,
        time_zone: input.timeZone,
        currency: input.currency,
        created_at: tx.now,
        updated_at: tx.now,
        server_version: null,
      }),
    );
    yield* tx.audit({
      entity: 'event',
      entityId: id,
      after: { name: input.name, currency: input.currency, timeZone: input.timeZone },
    });
    return id;
  },
});
