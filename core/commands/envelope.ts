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

const maxOrdinal = 0xffff_ffff;

/**
 * The id of the `ordinal`-th row a command creates (0, 1, 2... in the order the body creates them):
 * the envelope id's first 96 bits (its time, its per-process sequence and random bits) followed by
 * the ordinal in 32 bits. The server, a rebase and a replay of the journal therefore create the
 * same rows, never second ones; and the ids stay UUIDv7 that sort like the envelopes, then in
 * creation order (the card lists order lines, status history and tags by id).
 */
export function derivedId(envelopeId: string, ordinal: number): string {
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal > maxOrdinal) throw new RangeError(`ordinal ${ordinal} is outside 0..${maxOrdinal}`);
  return `${envelopeId.slice(0, 28)}${ordinal.toString(16).padStart(8, '0')}`;
}

/** Bytes that look random but follow from the envelope and a name (gift-card codes): a UUIDv5's. */
export function envelopeHash(envelopeId: string, name: string): Uint8Array {
  return uuidv5(name, envelopeId, new Uint8Array(16));
}

// A fixed namespace for ids derived from names (uuidv5 of "box-office:named" in the URL namespace).
const namedNamespace = uuidv5('box-office:named', uuidv5.URL);

/**
 * A name as the store's unique indexes compare it (`COLLATE NOCASE`: ASCII case folded, nothing
 * else), trimmed: "VIP" and " vip" are one label. Folding more than the index does would give two
 * names the index holds apart one id.
 */
export function normalisedName(name: string): string {
  return name.trim().replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

/**
 * The id of a thing known by its name (a label, a ticket type, a gate): derived from its kind, its
 * scope (the event, or '' for labels, which hold for every event) and its normalised name, so two
 * terminals creating "VIP" offline create the same row.
 */
export function namedId(kind: 'label' | 'ticket_type' | 'gate', scope: string, name: string): string {
  return uuidv5(`${kind}\u0000${scope}\u0000${normalisedName(name)}`, namedNamespace);
}
