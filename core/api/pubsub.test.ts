import { describe, expect, it } from 'vitest';
import { createPubSub, type CoreEvent } from './pubsub.ts';

const modeEvent = (active: boolean): CoreEvent => ({ type: 'station.checkinMode', mode: { active, gateId: null, direction: 'entry' } });

describe('createPubSub', () => {
  it('delivers each event to every subscriber in subscription order, and not after unsubscribing', () => {
    const pubsub = createPubSub();
    const seen: string[] = [];
    const stopFirst = pubsub.subscribe((event) => seen.push(`first ${event.type}`));
    pubsub.subscribe((event) => seen.push(`second ${event.type}`));
    pubsub.publish(modeEvent(true));
    stopFirst();
    pubsub.publish(modeEvent(false));
    expect(seen).toEqual(['first station.checkinMode', 'second station.checkinMode', 'second station.checkinMode']);
  });
});
