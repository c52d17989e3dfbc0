import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sql } from '../../db/store.ts';
import { createTestCore, insertEvent, snapshot } from '../../test/fixtures/store.ts';
import { DomainError, conflict } from '../errors.ts';
import { defineCommand, runCommand } from './command.ts';

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

describe('runCommand', () => {
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
