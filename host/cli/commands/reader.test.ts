/**
 * `box-office reader --driver pn532` as a real process against the PN532 emulator behind a
 * pseudo-terminal pair: JSON lines for 4-, 7- and 10-byte tags, faults survived, reconnection after
 * the device vanishes, a clean exit on SIGINT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EmulatedPn532Port } from '../../../drivers/pn532/emulated-pn532-port.ts';
import { emulatedTags, type Pn532Fault } from '../../../drivers/pn532/emulator.ts';
import { ReaderEventLog } from '../../../drivers/pn532/reader-event-log.ts';
import type { ReaderEvent } from '../../../drivers/reader.ts';
import { createPtyPair, type PtyPair } from '../../../drivers/serial/pty-pair.ts';
import { main } from '../main.ts';

const cli = fileURLToPath(new URL('../box-office.ts', import.meta.url));

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startCli(args: string[]): { child: ChildProcess; log: ReaderEventLog; stderr: () => string; exited: Promise<number | null> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'box-office-reader-cli-'));
  const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, BOX_OFFICE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = new ReaderEventLog();
  let pending = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) log.record(JSON.parse(line) as ReaderEvent);
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { child, log, stderr: () => stderr, exited };
}

describe('box-office reader --driver pn532', () => {
  it('streams tag events as JSON lines, survives faults, reconnects, and stops on SIGINT', async () => {
    const pair: PtyPair = await createPtyPair();
    cleanups.push(() => pair.dispose());
    const device = new EmulatedPn532Port(pair.devicePath);
    await device.attach();
    cleanups.push(() => device.detach());
    const { emulator } = device;

    const { child, log, stderr, exited } = startCli(['reader', '--driver', 'pn532', '--path', pair.hostPath, '--json']);
    expect(await log.waitFor('connected', { timeoutMs: 15_000 })).toEqual({ type: 'connected', readerId: `pn532:${pair.hostPath}` });

    const tags = [emulatedTags.mifareClassic1k('A1B2C3D4'), emulatedTags.ntag213('04A224B2C33F80'), emulatedTags.ntag213('04A1B2C3D4E5F6071829')];
    for (const tag of tags) {
      emulator.placeTag(tag);
      await log.waitFor('tagPresented', { where: (event) => event.uid.length === tag.uid.length * 2 });
      emulator.removeTag();
      await log.waitFor('tagRemoved', { where: (event) => event.uid.length === tag.uid.length * 2 });
    }
    expect(log.of('tagPresented').map(({ uid, kind, randomUid }) => ({ uid, kind, randomUid }))).toEqual([
      { uid: 'A1B2C3D4', kind: 'classic', randomUid: false },
      { uid: '04A224B2C33F80', kind: 'ntag', randomUid: false },
      { uid: '04A1B2C3D4E5F6071829', kind: 'ntag', randomUid: false },
    ]);

    emulator.placeTag(emulatedTags.ntag213('04A224B2C33F80'));
    const held = log.events.length;
    await log.waitFor('tagPresented', { from: held });
    const faults: Pn532Fault[] = ['garbageBeforeAck', 'dropAck', 'badChecksum', 'truncatedResponse', 'silenceAfterAck', 'noAnswer'];
    for (const fault of faults) emulator.injectFault(fault, { command: 'inListPassiveTarget' });
    await vi.waitFor(() => expect(emulator.pendingFaults).toBe(0), { timeout: 15_000, interval: 20 });
    const polled = emulator.received.inListPassiveTarget;
    await vi.waitFor(() => expect(emulator.received.inListPassiveTarget).toBeGreaterThan(polled + 2), { timeout: 10_000, interval: 20 });
    expect(log.of('tagPresented')).toHaveLength(4);
    expect(log.of('disconnected')).toEqual([]);

    await pair.stop();
    await log.waitFor('disconnected', { from: held });
    const vanished = log.events.length;
    await pair.start();
    await device.attach();
    await log.waitFor('connected', { from: vanished, timeoutMs: 15_000 });
    expect(await log.waitFor('tagPresented', { from: vanished })).toMatchObject({ uid: '04A224B2C33F80', kind: 'ntag' });

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr()).toBe('');
    expect(log.events.at(-1)).toMatchObject({ type: 'disconnected', reason: 'stopped' });
  });

  it('prints human-readable lines without --json', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.dispose());
    const device = new EmulatedPn532Port(pair.devicePath);
    await device.attach();
    cleanups.push(() => device.detach());
    device.emulator.placeTag(emulatedTags.desfireEv1('08A1B2C3'));
    const child = spawn(process.execPath, [cli, 'reader', '--driver', 'pn532', '--path', pair.hostPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    await vi.waitFor(() => expect(stdout).toContain('Tag presented'), { timeout: 15_000, interval: 20 });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toContain(`Reading from ${pair.hostPath} with the pn532 driver`);
    expect(stdout).toContain('Reader connected');
    expect(stdout).toContain('Tag presented: 08A1B2C3 (desfire, ATQA 0304, SAK 20, random UID: cannot be bound to a customer)');
  });

  it('refuses an unknown driver and a missing path with a usage line', async () => {
    const io = () => {
      const out = { stdout: '', stderr: '' };
      return { out, io: { stdout: { write: (text: string) => (out.stdout += text) }, stderr: { write: (text: string) => (out.stderr += text) }, env: {} } };
    };
    const unknown = io();
    expect(await main(['reader', '--driver', 'acr122', '--path', '/dev/ttyUSB0'], unknown.io)).toBe(2);
    expect(unknown.out.stderr).toContain('--driver: expected one of pn532');
    const missing = io();
    expect(await main(['reader', '--driver', 'pn532'], missing.io)).toBe(2);
    expect(missing.out.stderr).toContain('--path is required');
  });
});
