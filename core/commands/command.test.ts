import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '../../db/store.ts';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';
import { DomainError, conflict } from '../errors.ts';
import { newId } from '../ids.ts';
import { defineCommand, envelopeOfOutboxRow, runCommand } from './command.ts';
import { derivedId, envelopeSchema, namedId, normalisedName } from './envelope.ts';
import { buildRegistry, commandOf, commandRegistry } from './registry.ts';

const renameEvent = defineCommand({
  name: 'events.rename',
  version: 1,
  input: z.object({ eventId: z.string(), name: z.string().trim().min(1, 'Name is empty') }),
  apply(scope, input) {
    const before = scope.store.first(sql.selectFrom('events').select('name').where('id', '=', input.eventId));
    if (!before) throw conflict('no such event', 'eventId');
    scope.store.run(sql.updateTable('events').set({ name: input.name, updated_at: scope.now }).where('id', '=', input.eventId));
    scope.audit({ entity: 'event', entityId: input.eventId, before, after: { name: input.name } });
    if (input.name === 'explode after write') throw new Error('boom');
    return { eventId: input.eventId };
  },
});

const noteEvent = defineCommand({
  name: 'events.note',
  version: 1,
  input: z.object({ eventId: z.string().optional(), name: z.string() }),
  resolve: (_store, input) => ({ ...input, eventId: input.eventId ?? 'resolved-by-terminal' }),
  apply(scope, input) {
    if (input.name === 'same') return { changed: false as const };
    scope.store.run(sql.updateTable('events').set({ name: input.name, updated_at: scope.now }));
    return { changed: true as const, id: scope.nextId(), envelope: scope.envelope };
  },
});

const localRename = defineCommand({ ...renameEvent, name: 'events.renameHere', local: true });

describe('runCommand', () => {
  it('builds the envelope, hands it to the body, and stores the whole of it in the outbox', () => {
    const { store, core } = createTestCore();
    insertEvent(store);
    const result = runCommand(core.context, noteEvent, { name: 'Renamed' });
    if (!result.changed) throw new Error('expected a change');
    const { envelope } = result;
    expect(envelopeSchema.parse(envelope)).toEqual(envelope);
    expect(envelope).toMatchObject({
      seq: 1,
      name: 'events.note',
      version: 1,
      // What the terminal resolved is in the args, and the envelope names the event.
      args: { name: 'Renamed', eventId: 'resolved-by-terminal' },
      eventId: 'resolved-by-terminal',
      operator: 'operator-1',
      at: '2026-06-01T10:00:00.000Z',
    });
    expect(result.id).toBe(derivedId(envelope.id, 0));
    const outbox = store.all(sql.selectFrom('outbox').selectAll());
    expect(outbox.map(envelopeOfOutboxRow)).toEqual([envelope]);
  });

  it('writes no outbox row, no audit entry and takes no sequence number when the command changed nothing', () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    runCommand(core.context, noteEvent, { name: 'same' });
    expect(store.all(sql.selectFrom('outbox').selectAll())).toEqual([]);
    runCommand(core.context, renameEvent, { eventId, name: 'Changed' });
    expect(store.all(sql.selectFrom('outbox').select('seq'))).toEqual([{ seq: 1 }]);
  });

  it('audits a local command but never sends it: no outbox row, no sequence number', () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    runCommand(core.context, localRename, { eventId, name: 'Here only' });
    expect(store.all(sql.selectFrom('outbox').selectAll())).toEqual([]);
    expect(store.all(sql.selectFrom('audit_log').select('operation'))).toEqual([{ operation: 'events.renameHere@1' }]);
    runCommand(core.context, renameEvent, { eventId, name: 'Sent' });
    expect(store.all(sql.selectFrom('outbox').select('seq'))).toEqual([{ seq: 1 }]);
  });

  it('applies the change, writes an audit entry and appends the command to the outbox in one go', () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    runCommand(core.context, renameEvent, { eventId, name: 'Winter Festival' });

    expect(store.first(sql.selectFrom('events').select('name').where('id', '=', eventId))?.name).toBe('Winter Festival');
    const audit = store.all(sql.selectFrom('audit_log').selectAll());
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      operator: 'operator-1',
      operation: 'events.rename@1',
      entity: 'event',
      entity_id: eventId,
      before: JSON.stringify({ name: 'Summer Festival' }),
      after: JSON.stringify({ name: 'Winter Festival' }),
    });
    const outbox = store.all(sql.selectFrom('outbox').selectAll());
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ seq: 1, name: 'events.rename', version: 1, status: 'pending', id: audit[0]!.command_id });
    expect(JSON.parse(outbox[0]!.args)).toEqual({ eventId, name: 'Winter Festival' });
  });

  it('numbers outbox commands gap-free and stamps them with a monotonic hybrid logical clock', () => {
    const { store, core, clock } = createTestCore();
    const eventId = insertEvent(store);
    runCommand(core.context, renameEvent, { eventId, name: 'A' });
    clock.set('2026-06-01T09:00:00.000Z'); // the wall clock jumps back an hour
    runCommand(core.context, renameEvent, { eventId, name: 'B' });
    runCommand(core.context, renameEvent, { eventId, name: 'C' });
    const outbox = store.all(sql.selectFrom('outbox').select(['seq', 'hlc']).orderBy('seq'));
    expect(outbox.map((row) => row.seq)).toEqual([1, 2, 3]);
    const stamps = outbox.map((row) => row.hlc);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(3);
  });

  it('refuses invalid input with a VALIDATION error naming the field, and writes nothing', () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    const before = snapshot(store);
    let error: unknown;
    try {
      runCommand(core.context, renameEvent, { eventId, name: '   ' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION', field: 'name', message: 'Name is empty' });
    expect(snapshot(store)).toEqual(before);
  });

  it('rolls everything back when the command fails after writing', () => {
    const { store, core } = createTestCore();
    const eventId = insertEvent(store);
    runCommand(core.context, renameEvent, { eventId, name: 'first' });
    const before = snapshot(store);
    expect(() => runCommand(core.context, renameEvent, { eventId, name: 'explode after write' })).toThrow('boom');
    expect(snapshot(store)).toEqual(before);
    // The sequence stays gap-free after a failed command.
    runCommand(core.context, renameEvent, { eventId, name: 'second' });
    expect(store.all(sql.selectFrom('outbox').select('seq').orderBy('seq')).map((row) => row.seq)).toEqual([1, 2]);
  });
});

describe('ids from the envelope', () => {
  it('derives the same id from the same envelope and ordinal: UUIDv7 that sort by envelope, then by ordinal', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff_ffff }), { minLength: 2, maxLength: 20 }), (ordinals) => {
        const envelopes = [newId(), newId()];
        const ids = envelopes.flatMap((envelope) => [...ordinals].sort((a, b) => a - b).map((ordinal) => derivedId(envelope, ordinal)));
        expect([...ids].sort()).toEqual(ids);
        for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(derivedId(envelopes[0]!, ordinals[0]!)).toBe(derivedId(envelopes[0]!, ordinals[0]!));
        expect(new Set(ids).size).toBe(new Set(ordinals).size * 2);
      }),
    );
    expect(() => derivedId(newId(), -1)).toThrow(RangeError);
    expect(() => derivedId(newId(), 2 ** 32)).toThrow(RangeError);
  });

  it('gives a thing known by name one id per event, whatever its case or surrounding spaces', () => {
    expect(normalisedName('  VIP Lounge ')).toBe('vip lounge');
    // As COLLATE NOCASE compares: only ASCII letters fold.
    expect(namedId('label', '', 'É')).not.toBe(namedId('label', '', 'é'));
    expect(namedId('label', '', 'VIP')).toBe(namedId('label', '', ' vip'));
    expect(namedId('gate', 'event-1', 'North')).not.toBe(namedId('gate', 'event-2', 'North'));
    expect(namedId('gate', 'event-1', 'North')).not.toBe(namedId('ticket_type', 'event-1', 'North'));
  });
});

describe('the command registry', () => {
  it('finds every command by name@version', () => {
    expect(commandOf({ name: 'tickets.setBanned', version: 1 }).name).toBe('tickets.setBanned');
    for (const [key, command] of commandRegistry) expect(key).toBe(`${command.name}@${command.version}`);
    expect(() => commandOf({ name: 'tickets.setBanned', version: 2 })).toThrow('cannot run tickets.setBanned@2');
  });

  it('refuses two commands under one name and version', () => {
    expect(() => buildRegistry([renameEvent, noteEvent])).not.toThrow();
    expect(() => buildRegistry([renameEvent, { ...renameEvent }])).toThrow('Two commands are registered as events.rename@1');
  });
});
