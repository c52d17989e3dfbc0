import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';

/**
 * One run of a command (DESIGN.md section 5): what the outbox stores, what the server and a journal
 * replay run. The body takes its time (`at`), its ids (derivedId of `id`) and its operator only
 * from here, so every machine that runs the envelope writes the same rows.
 */
export const envelopeSchema = z.object({
  /** UUIDv7: the idempotency key, and the namespace of every id the command creates. */
  id: z.uuid(),
  deviceId: z.string().min(1),
  /** Gap-free per device; null for a local command, which never enters the outbox. */
  seq: z.number().int().positive().nullable(),
  name: z.string().min(1),
  version: z.number().int().positive(),
  args: z.unknown(),
  hlc: z.string().min(1),
  /** The command's time, ISO-8601 UTC with milliseconds. */
  at: z.iso.datetime({ offset: false, precision: 3 }),
  operator: z.string().nullable(),
  eventId: z.string().nullable(),
});

export type Envelope = z.output<typeof envelopeSchema>;

/** `tickets.setBanned@1`: how the registry, the audit log and the outbox name a command. */
export function commandKey(command: { name: string; version: number }): string {
  return `${command.name}@${command.version}`;
}

/**
 * The id of a row a command creates: a UUIDv5 in the envelope id's namespace, named by what the row
 * is within the command (`order`, `ticket.3`). The server, a rebase and a replay of the journal
 * therefore create the same row, never a second one.
 */
export function derivedId(envelopeId: string, ordinal: string | number): string {
  return uuidv5(String(ordinal), envelopeId);
}

// A fixed namespace for ids derived from names (uuidv5 of "box-office:named" in the URL namespace).
const namedNamespace = uuidv5('box-office:named', uuidv5.URL);

/** Case, accents and spacing do not make a name different: "VIP", " vip " and "Vìp" are one label. */
export function normalisedName(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * The id of a thing known by its name (a label, a ticket type, a gate): derived from its kind, its
 * scope (the event, or '' for labels, which hold for every event) and its normalised name, so two
 * terminals creating "VIP" offline create the same row.
 */
export function namedId(kind: 'label' | 'ticket_type' | 'gate', scope: string, name: string): string {
  return uuidv5(`${kind}\u0000${scope}\u0000${normalisedName(name)}`, namedNamespace);
}
