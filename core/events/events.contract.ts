import { z } from 'zod';
import { operation } from '../api/operation.ts';
import { rolesFrom } from '../operators/roles.ts';
import { credentialKinds } from '../enumerations.ts';
import { idSchema } from '../fields.ts';

/**
 * What this data folder holds, so the UI can tell a demo from real data and greet an empty folder
 * with a first-run screen (issue 8 item 1). Decided by the core from the store, never guessed by
 * the renderer from a path or a name.
 */
export const dataFolderOverviewSchema = z.object({
  /** The folder holds the synthetic demo festival (written by `box-office seed` or the demo start). */
  demo: z.boolean(),
  /** Nothing has been set up or imported yet: no event and no customer. */
  empty: z.boolean(),
  events: z.number().int(),
});
export type DataFolderOverview = z.infer<typeof dataFolderOverviewSchema>;

const demoCodeSchema = z.object({
  /** A ticket reference (scanned as a barcode) or a tag UID (tapped on the reader). */
  code: z.string(),
  kind: z.enum(credentialKinds),
  /** Whose it is and what it is, so a demo user knows what to expect: "Weekend · Anna Jansen". */
  label: z.string(),
  /** What a gate should answer, in staff's words ("should be admitted", "banned"...). */
  expect: z.string(),
});
export type DemoCode = z.infer<typeof demoCodeSchema>;

export const demoCodesOutput = z.object({ codes: z.array(demoCodeSchema) });

export const eventSchema = z.object({
  id: z.string(),
  name: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  timeZone: z.string(),
  currency: z.string(),
  /** The event's ticket types, by name (for the Assign tag dialog and imports). */
  ticketTypes: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type EventSummary = z.infer<typeof eventSchema>;

export const eventListOutput = z.object({
  events: z.array(eventSchema),
  /** The event this terminal works on when an operation names none (events.choose); null when none was chosen. */
  chosenEventId: z.string().nullable().optional(),
});

export const chooseEventInput = z.object({ eventId: idSchema });
export const chooseEventOutput = z.object({ eventId: z.string(), name: z.string() });

export const eventOperations = {
  'events.list': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: eventListOutput,
    summary: 'The events in this data folder',
  }),
  'events.choose': operation({
    roles: rolesFrom('admin'),
    input: chooseEventInput,
    output: chooseEventOutput,
    summary: 'Choose the event this terminal works on when an operation names none (a local setting: it never syncs)',
  }),
  'events.dataFolder': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: dataFolderOverviewSchema,
    summary: 'Whether this data folder holds the demo festival, and whether it is still empty (first run)',
  }),
  'events.demoCodes': operation({
    roles: rolesFrom('steward'),
    input: z.object({}),
    output: demoCodesOutput,
    summary: "A few of the demo festival's ticket references and wristband UIDs to present on the simulated reader (none outside the demo)",
  }),
} as const;
