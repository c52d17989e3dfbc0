import { z } from 'zod';
import { sql } from '../../db/store.ts';
import { defineCommand } from '../commands/command.ts';
import { idSchema } from '../fields.ts';

export const importedEventDefaults = { name: 'Imported event', currency: 'EUR', timeZone: 'UTC' } as const;

/**
 * Creates the event an import fills when the data folder has none yet (a fresh install importing
 * its first customer list). The id is chosen by the caller so a replay creates the same event.
 */
export const createImportedEvent = defineCommand({
  name: 'import.createEvent',
  version: 1,
  // The import's batches are durable (import-batch.ts); the event they belong to must be too.
  durable: true,
  input: z.object({
    id: idSchema,
    name: z.string().trim().min(1).max(200),
    currency: z.string().regex(/^[A-Z]{3}$/, 'Currency must be an ISO-4217 code such as EUR'),
    timeZone: z.string().min(1).max(64),
  }),
  apply(scope, input): string {
    scope.store.run(
      sql.insertInto('events').values({
        id: input.id,
        name: input.name,
        starts_at: null,
        ends_at: null,
        time_zone: input.timeZone,
        currency: input.currency,
        created_at: scope.now,
        updated_at: scope.now,
        server_version: null,
      }),
    );
    scope.audit({
      entity: 'event',
      entityId: input.id,
      after: { name: input.name, currency: input.currency, timeZone: input.timeZone },
    });
    return input.id;
  },
});
