import { describe, expect, it } from 'vitest';
import type { OperatorSummary } from '../api/operations.ts';
import { hrefFor, parseHash } from '../routing/hash-route.ts';
import { createFakeHost, ok, settle } from '../test-support/fake-host.ts';
import { createOperatorStore, recheckingOnRefusal } from './operator-store.ts';
import { createOperatorsStore, operatorActionKeys } from './operators-store.ts';

const operator = (id: string, name: string, role: OperatorSummary['role']): OperatorSummary => ({ id, name, role, createdAt: '2026-06-01T10:00:00.000Z' });
const ada = operator('o-1', 'Ada', 'admin');
const stu = operator('o-2', 'Stu', 'steward');

describe('operators store', () => {
  it('lists, adds in name order, changes a role and removes', async () => {
    const host = createFakeHost({
      'operators.list': () => ok({ operators: [ada, stu] }),
      'operators.add': () => ok(operator('o-3', 'bo', 'box_office')),
      'operators.update': () => ok({ ...stu, role: 'supervisor' }),
      'operators.remove': () => ok({ id: 'o-1', name: 'Ada' }),
    });
    const store = createOperatorsStore(host.client);
    await store.getState().load();
    expect(store.getState().phase).toBe('ready');
    expect(await store.getState().add({ name: 'bo', role: 'box_office', pin: '4444' })).toBe(true);
    expect(store.getState().operators.map((entry) => entry.name)).toEqual(['Ada', 'bo', 'Stu']);
    expect(await store.getState().update({ operatorId: 'o-2', role: 'supervisor' })).toBe(true);
    expect(store.getState().operators.find((entry) => entry.id === 'o-2')?.role).toBe('supervisor');
    expect(await store.getState().remove('o-1')).toBe(true);
    expect(store.getState().operators.map((entry) => entry.name)).toEqual(['bo', 'Stu']);
    expect(host.callsTo('operators.update')).toEqual([{ operatorId: 'o-2', role: 'supervisor' }]);
    expect(store.getState().pending).toEqual({});
  });

  it('keeps each error under its action, and reloads the list when the operator is gone', async () => {
    const host = createFakeHost({
      'operators.list': () => ok({ operators: [ada, stu] }),
      'operators.add': () => ({ ok: false, error: { code: 'CONFLICT', message: 'An operator named stu exists already', field: 'name' } }),
      'operators.update': () => ({ ok: false, error: { code: 'CONFLICT', message: 'Ada is the last admin: make another operator an admin before giving them another role', field: 'role' } }),
      'operators.remove': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No such operator', field: 'operatorId' } }),
    });
    const store = createOperatorsStore(host.client);
    await store.getState().load();
    expect(await store.getState().add({ name: 'stu', role: 'steward', pin: '4444' })).toBe(false);
    expect(await store.getState().update({ operatorId: 'o-1', role: 'steward' })).toBe(false);
    expect(store.getState().errors[operatorActionKeys.add]?.field).toBe('name');
    expect(store.getState().errors[operatorActionKeys.update('o-1')]?.field).toBe('role');
    expect(host.callsTo('operators.list')).toHaveLength(1);
    expect(await store.getState().remove('o-2')).toBe(false);
    expect(store.getState().errors[operatorActionKeys.remove('o-2')]?.code).toBe('NOT_FOUND');
    expect(host.callsTo('operators.list')).toHaveLength(2);
    store.getState().clearError(operatorActionKeys.add);
    expect(store.getState().errors[operatorActionKeys.add]).toBeUndefined();
  });

  it('has its own route', () => {
    expect(parseHash('#/operators')).toEqual({ screen: 'operators' });
    expect(hrefFor({ screen: 'operators' })).toBe('#/operators');
  });
});

describe('a window whose operator was removed or changed elsewhere', () => {
  const removed = { ok: false as const, error: { code: 'FORBIDDEN' as const, message: 'You were signed out: an admin removed this operator' } };

  it('asks who is signed in after a refusal, and the sign-in screen says why it is back', async () => {
    let signedIn: { name: string; role: 'steward' } | null = { name: 'Stu', role: 'steward' };
    const host = createFakeHost({
      'operators.current': () => ok({ operator: signedIn, firstRun: false }),
      'checkin.counts': () => removed,
    });
    const operator = createOperatorStore(host.client);
    await operator.getState().load();
    const client = recheckingOnRefusal(host.client, operator);
    signedIn = null;
    expect(await client.invoke('checkin.counts', {})).toEqual(removed);
    await settle();
    expect(operator.getState().current).toEqual({ operator: null, firstRun: false });
    expect(operator.getState().error).toEqual(removed.error);
  });

  it('leaves wrong PINs and answers that are not refusals alone', async () => {
    const host = createFakeHost({
      'operators.current': () => ok({ operator: null, firstRun: false }),
      'operators.signIn': () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'Wrong name or PIN', field: 'pin' } }),
      'checkin.counts': () => ({ ok: false, error: { code: 'NOT_FOUND', message: 'No event' } }),
    });
    const operator = createOperatorStore(host.client);
    const client = recheckingOnRefusal(host.client, operator);
    await client.invoke('operators.signIn', { name: 'Stu', pin: '0000' });
    await client.invoke('checkin.counts', {});
    await settle();
    expect(host.callsTo('operators.current')).toEqual([]);
  });
});
