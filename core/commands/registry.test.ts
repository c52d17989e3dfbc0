import { describe, expect, it } from 'vitest';
import { contract } from '../api/contract.ts';
import { commandRegistry } from './registry.ts';

/** The operation that runs a command whose name is no operation's: an import's event is made by import.customers. */
const operationRunning: Readonly<Record<string, string>> = { 'import.createEvent': 'import.customers' };

describe('the command registry', () => {
  it('holds a body for every command that syncs, and an apply only for local ones', () => {
    const shapes = [...commandRegistry].map(([key, command]) => ({
      key,
      shape: command.local ? (command.apply && !command.body ? 'local' : 'local without apply') : command.body && !command.apply ? 'body' : 'syncing without a body',
    }));
    expect(shapes.filter(({ shape }) => shape !== 'local' && shape !== 'body')).toEqual([]);
    // The terminal's configuration stays local; everything staff do to the event syncs.
    expect(shapes.filter(({ shape }) => shape === 'local').map(({ key }) => key.split('.')[0]).sort()).toEqual(
      expect.arrayContaining(['events', 'operators', 'readers', 'station']),
    );
  });

  it('gives every command with a body the roles of the operation that runs it (the server checks them on push)', () => {
    const mismatched = [...commandRegistry]
      .filter(([, command]) => command.body)
      .map(([key, command]) => {
        const operation = operationRunning[command.name] ?? command.name;
        const declared = (contract as Record<string, { roles: unknown } | undefined>)[operation]?.roles;
        return { key, operation, roles: command.roles, declared };
      })
      .filter(({ roles, declared }) => roles === undefined || declared === undefined || JSON.stringify(roles) !== JSON.stringify(declared));
    expect(mismatched).toEqual([]);
  });
});
