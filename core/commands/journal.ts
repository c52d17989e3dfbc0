import { z } from 'zod';
import type { Store } from '../../db/store.ts';
import { sql } from '../../db/store.ts';
import { DomainError, invalid } from '../errors.ts';
import { deviceId, receiveRemoteHlc } from '../terminal/state.ts';
import { parseInput } from '../validation.ts';
import { envelopeOfOutboxRow } from './command.ts';
import { commandKey, envelopeSchema, type Envelope } from './envelope.ts';
import { commandOf, replayEnvelope, type CommandRegistry, commandRegistry } from './registry.ts';

/**
 * The journal (issue 9 item 8): a terminal's envelopes as JSON lines, for support and for proof.
 * The first line is the header, every other line one envelope of the outbox, in seq order. The
 * same schemas check a journal when it is written and when it is replayed.
 */
export const journalFormat = 1;

export const journalHeaderSchema = z.object({
  journal: z.literal('box-office'),
  format: z.literal(journalFormat),
  /** The terminal whose envelopes these are. */
  deviceId: z.string().min(1),
  exportedAt: z.iso.datetime({ offset: false, precision: 3 }),
  /** How many envelope lines follow. */
  count: z.number().int().nonnegative(),
});

export type JournalHeader = z.output<typeof journalHeaderSchema>;

/** An envelope as a journal holds it: one that synced, so it always has its seq. */
export const journalEnvelopeSchema = envelopeSchema.extend({ seq: z.number().int().positive() });

export type JournalEnvelope = z.output<typeof journalEnvelopeSchema>;

export interface Journal {
  header: JournalHeader;
  /** The envelopes, each with the line of the file it came from (the header is line 1). */
  entries: { line: number; envelope: JournalEnvelope }[];
}

/** The terminal's envelopes (its outbox) in seq order. */
export function journalEnvelopes(store: Store): Envelope[] {
  return store.all(sql.selectFrom('outbox').selectAll().orderBy('seq')).map(envelopeOfOutboxRow);
}

/** The journal's text: the header line, then one envelope per line, each line ending in a newline. */
export function journalText(store: Store, exportedAt: Date): { header: JournalHeader; text: string } {
  const envelopes = journalEnvelopes(store);
  const header: JournalHeader = journalHeaderSchema.parse({
    journal: 'box-office',
    format: journalFormat,
    deviceId: deviceId(store),
    exportedAt: exportedAt.toISOString(),
    count: envelopes.length,
  });
  const lines = [header, ...envelopes.map((envelope) => journalEnvelopeSchema.parse(envelope))].map((line) => JSON.stringify(line));
  return { header, text: `${lines.join('\n')}\n` };
}

const lineError = (line: number, reason: string) => invalid(`Line ${line} of the journal: ${reason}`, 'file');

function zodReason(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

function parseLine(text: string, line: number): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw lineError(line, 'not valid JSON');
  }
}

/**
 * Checks a whole journal before anything of it runs: the header, every envelope (its shape, a
 * command this version knows, args that command accepts), one device, seqs rising, the count the
 * header announces. The first problem is an error naming its line.
 */
export function parseJournal(text: string, registry: CommandRegistry = commandRegistry): Journal {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw invalid('The journal is empty: its first line must be the header written by box-office journal export', 'file');
  const header = journalHeaderSchema.safeParse(parseLine(lines[0]!, 1));
  if (!header.success) throw lineError(1, `not a Box Office journal header (${zodReason(header.error)})`);
  const entries: Journal['entries'] = [];
  let previousSeq = 0;
  lines.slice(1).forEach((lineText, index) => {
    const line = index + 2;
    const parsed = journalEnvelopeSchema.safeParse(parseLine(lineText, line));
    if (!parsed.success) throw lineError(line, zodReason(parsed.error));
    const envelope = parsed.data;
    if (envelope.deviceId !== header.data.deviceId) throw lineError(line, 'the envelope is from another terminal than the header names');
    if (envelope.seq <= previousSeq) throw lineError(line, `seq ${envelope.seq} does not follow ${previousSeq}`);
    previousSeq = envelope.seq;
    try {
      parseInput(commandOf(envelope, registry).input, envelope.args);
    } catch (error) {
      if (error instanceof DomainError) throw lineError(line, error.message);
      throw error;
    }
    entries.push({ line, envelope });
  });
  if (entries.length !== header.data.count) {
    throw invalid(`The journal announces ${header.data.count} envelopes but holds ${entries.length}: it is incomplete`, 'file');
  }
  return { header: header.data, entries };
}

export interface ReplayFailure {
  line: number;
  /** `name@version`. */
  command: string;
  reason: string;
}

export interface ReplayOutcome {
  applied: number;
  /** Already in this store: run here (its outbox holds it) or replayed before. */
  skipped: number;
  failed: ReplayFailure[];
}

/** Why the store refused an envelope, in words support reads; anything else is a bug and stops the replay. */
function refusal(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) return 'it conflicts with rows this store already holds';
  throw error;
}

function alreadyHere(store: Store, envelopeId: string): boolean {
  const replayed = store.first(sql.selectFrom('replayed_envelopes').select('id').where('id', '=', envelopeId));
  const ranHere = store.first(sql.selectFrom('outbox').select('id').where('id', '=', envelopeId));
  return replayed !== undefined || ranHere !== undefined;
}

/**
 * Runs a checked journal into a store, in order, each envelope in its own transaction with the row
 * that records it (replayed_envelopes), so a second replay skips it and changes nothing. An envelope
 * the store refuses (its customer is not here) is rolled back, counted as failed with its line and
 * reason, and the replay goes on. The store must already hold what the commands refer to: a copy
 * of the terminal's store taken before the journal's commands ran, or a store synced with it.
 */
export function replayJournal(store: Store, journal: Journal, replayedAt: Date, registry: CommandRegistry = commandRegistry): ReplayOutcome {
  const outcome: ReplayOutcome = { applied: 0, skipped: 0, failed: [] };
  const at = replayedAt.toISOString();
  // Money-moving commands commit with synchronous=FULL; inside the transaction SQLite cannot switch.
  store.db.pragma('synchronous = FULL');
  try {
    for (const { line, envelope } of journal.entries) {
      if (alreadyHere(store, envelope.id)) {
        outcome.skipped += 1;
        continue;
      }
      try {
        store.db
          .transaction(() => {
            replayEnvelope(store, envelope, registry);
            // The replayed stamps join this terminal's clock: its next command orders after them.
            receiveRemoteHlc(store, envelope.hlc, replayedAt.getTime(), deviceId(store));
            store.run(
              sql.insertInto('replayed_envelopes').values({ id: envelope.id, device_id: envelope.deviceId, seq: envelope.seq, command: commandKey(envelope), replayed_at: at }),
            );
          })
          .immediate();
        outcome.applied += 1;
      } catch (error) {
        outcome.failed.push({ line, command: commandKey(envelope), reason: refusal(error) });
      }
    }
  } finally {
    store.db.pragma('synchronous = NORMAL');
  }
  return outcome;
}
