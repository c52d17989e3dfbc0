import { describe, expect, it } from 'vitest';
import type { ReaderEvent } from '../reader.ts';
import { createSimulatedReader } from './simulated-reader.ts';

describe('simulated reader', () => {
  it('emits connected, tags and barcodes like a real reader', async () => {
    const reader = createSimulatedReader('sim');
    const events: ReaderEvent[] = [];
    reader.onEvent((event) => events.push(event));
    await reader.start();
    reader.presentTag({ uid: '04a224b2c33f80' });
    reader.presentTag({ uid: '04A224B2C33F80' });
    reader.scanBarcode('BO-1', 'qr');
    reader.presentTag({ uid: '08123456' });
    reader.removeTag();
    expect(events).toEqual([
      { type: 'connected', readerId: 'sim' },
      { type: 'tagPresented', readerId: 'sim', uid: '04A224B2C33F80', atqa: '0044', sak: '00', kind: 'ntag', randomUid: false },
      { type: 'barcodeScanned', readerId: 'sim', text: 'BO-1', symbology: 'qr', source: 'simulated' },
      { type: 'tagRemoved', readerId: 'sim', uid: '04A224B2C33F80' },
      { type: 'tagPresented', readerId: 'sim', uid: '08123456', atqa: '0004', sak: '08', kind: 'classic', randomUid: true },
      { type: 'tagRemoved', readerId: 'sim', uid: '08123456' },
    ]);
    expect(reader.heldTag).toBeNull();
    await reader.stop();
  });

  it('takes a tapped tag away after the hold time', async () => {
    const reader = createSimulatedReader('sim');
    const events: ReaderEvent[] = [];
    reader.onEvent((event) => events.push(event));
    await reader.start();
    reader.presentTag({ uid: '04E2E0C0FFEE01', holdMs: 10, kind: 'desfire' });
    expect(reader.heldTag).toBe('04E2E0C0FFEE01');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events.map((event) => event.type)).toEqual(['connected', 'tagPresented', 'tagRemoved']);
    expect(events[1]).toMatchObject({ kind: 'desfire', atqa: '0344', sak: '20' });
    await reader.stop();
  });

  it('emits nothing before start or after stop', async () => {
    const reader = createSimulatedReader('sim');
    const events: ReaderEvent[] = [];
    reader.onEvent((event) => events.push(event));
    expect(reader.presentTag({ uid: '04A224B2' })).toEqual([]);
    await reader.start();
    reader.presentTag({ uid: '04A224B2' });
    await reader.stop();
    reader.scanBarcode('BO-1');
    expect(events.map((event) => event.type)).toEqual(['connected', 'tagPresented', 'tagRemoved', 'disconnected']);
  });
});
