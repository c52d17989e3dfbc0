import type { Selectable } from 'kysely';
import type { EventTable } from '../../db/schema.ts';
import { query, queryTemplate } from '../commands/query-builder.ts';
import type { CommandTx } from '../commands/tx.ts';
import { invalid, notFound } from '../errors.ts';

/** The columns a command body reads of its event. */
export type EventRow = Pick<Selectable<EventTable>, 'id' | 'name'>;

const eventById = queryTemplate((eventId: string) => query.selectFrom('events').select(['id', 'name']).where('id', '=', eventId));

/**
 * The event a command body works on: the one its args name (the terminal's `resolve` put it there,
 * core/events/current.ts `withResolvedEvent`), so the body never reads the terminal's choice. An
 * envelope without one (never written by a terminal that resolved it) is refused, not guessed.
 */
export function* loadEvent(tx: Pick<CommandTx, 'first'>, eventId: string | null | undefined) {
  if (!eventId) throw invalid('This command names no event: choose one with eventId', 'eventId');
  const event: EventRow | undefined = yield* tx.first(eventById.with(eventId));
  if (!event) throw notFound('That event is not on this terminal', 'eventId');
  return event;
}
