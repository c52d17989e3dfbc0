import { describe, expect, it } from 'vitest';
import { commandRegistry } from './registry.ts';

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
});
