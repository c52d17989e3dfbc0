import type { SyncStatusView } from '../api/operations.ts';

/** A terminal enrolled as a gate, online, nothing waiting: tests change what they are about. */
export function syncStatusFixture(overrides: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    enrolled: true,
    serverUrl: 'http://10.0.0.2:8080',
    deviceName: 'Gate 1',
    deviceId: 'd-1',
    role: 'gate',
    shortCode: 'K3',
    eventId: null,
    eventName: null,
    enrolledAt: '2026-07-10T09:00:00.000Z',
    hasToken: true,
    running: true,
    connection: 'online',
    syncing: false,
    waiting: 0,
    rejected: 0,
    withConflict: 0,
    alerts: 0,
    lastSyncAt: '2026-07-10T14:03:00.000Z',
    problem: null,
    retryAt: null,
    clockOffsetMs: 0,
    ...overrides,
  };
}
