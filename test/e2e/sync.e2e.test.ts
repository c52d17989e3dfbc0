// End-to-end: the sync worker, the status indicator and the Sync screen (issue 11, items 1, 3, 4)
// in Debian's Chromium. A real `box-office-server start` on PGlite in a temp folder holds the
// terminal's festival (as if an admin terminal had pushed it); `box-office serve` runs the
// terminal. The test enrols from the Sync screen with a code the server CLI made (a wrong code
// first), scans a ticket and sees it waiting then synced, stops the server and scans again
// (offline, the scan waits), restarts the server and sees the terminal drain by itself.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../host/data-dir.ts';
import { pgliteDir } from '../../server/data-folder.ts';
import { openServerDatabase } from '../../server/db/database.ts';
import { closedPort } from '../fixtures/loopback.ts';
import { loadRows } from '../fixtures/postgres-mirror.ts';
import { serverCliJson, startServerProcess, type ServerProcess } from '../fixtures/server-cli.ts';
import { stampSyncedRows } from '../fixtures/sync-server.ts';
import { syncedRowsToLoad } from '../fixtures/synced-tables.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import { signIn } from './sign-in.ts';
import type { PageGlobals } from './page-globals.ts';

const viewport = { width: 1400, height: 900 };
const poll = <T>(read: () => Promise<T> | T, timeout = 20_000) => expect.poll(read, { timeout });

interface PickedTicket {
  reference: string;
  name: string;
}

let temp: string;
let terminalDir: string;
let serverDir: string;
let port: number;
let server: ServerProcess | undefined;
let web: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let tickets: PickedTicket[];

/**
 * The synthetic festival's ticket types are valid in July 2026; the scans happen now, so the
 * windows are moved around the present. Two Weekend tickets never scanned, with named holders.
 */
function prepareTerminal(file: string): PickedTicket[] {
  const db = new Database(file);
  try {
    const now = Date.now();
    db.prepare('UPDATE ticket_types SET valid_from = ?, valid_until = ?').run(new Date(now - 86_400_000).toISOString(), new Date(now + 86_400_000).toISOString());
    const picked = db
      .prepare(
        `SELECT k.reference, c.first_name || ' ' || c.last_name AS name FROM tickets k
          JOIN customers c ON c.id = k.customer_id JOIN ticket_types y ON y.id = k.ticket_type_id
          WHERE y.name = 'Weekend' AND k.status = 'valid' AND k.banned = 0 AND k.redeemed = 0 AND k.entry_count = 0 AND k.inside_since IS NULL
            AND c.first_name IS NOT NULL AND c.last_name IS NOT NULL AND c.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.ticket_id = k.id)
          ORDER BY k.reference LIMIT 2`,
      )
      .all() as PickedTicket[];
    if (picked.length < 2) throw new Error('The seeded store lacks two fresh Weekend tickets with named holders');
    return picked;
  } finally {
    db.close();
  }
}

/** The server's PGlite holds the terminal's synced rows, stamped, as if an admin terminal had pushed them. */
async function serverHoldsTheFestival(): Promise<void> {
  mkdirSync(pgliteDir(serverDir), { recursive: true });
  const db = await openServerDatabase({ pglite: pgliteDir(serverDir) });
  const terminal = new Database(storeFile(terminalDir), { readonly: true });
  try {
    await loadRows(db, syncedRowsToLoad(terminal));
    await stampSyncedRows(db);
  } finally {
    terminal.close();
    await db.destroy();
  }
}

const indicator = () => page.getByTestId('sync-indicator');
const indicatorText = async () => ((await indicator().textContent()) ?? '').trim();

/** Records every text the indicator shows from now on (a state may last less than a poll). */
async function recordIndicator(): Promise<void> {
  await page.evaluate(() => {
    const globals = globalThis as unknown as PageGlobals;
    const target = globals.document.querySelector('[data-testid="sync-indicator"]');
    if (!target) throw new Error('no sync indicator');
    const texts: string[] = [(target.textContent ?? '').trim()];
    globals.syncIndicatorTexts = texts;
    new globals.MutationObserver(() => {
      const text = (target.textContent ?? '').trim();
      if (texts.at(-1) !== text) texts.push(text);
    }).observe(target, { childList: true, subtree: true, characterData: true });
  });
}

const recordedTexts = () => page.evaluate(() => (globalThis as unknown as PageGlobals).syncIndicatorTexts ?? []);

/** Types like a keyboard-wedge scanner into the focused scan field. */
async function wedgeScan(text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 8 });
  await page.keyboard.press('Enter');
}

async function scanAtMainEntrance(reference: string, holder: string): Promise<void> {
  if (!(await page.getByRole('heading', { name: 'Check-in', level: 1 }).isVisible())) {
    await page.getByRole('link', { name: 'Check-in' }).click();
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();
  }
  const gate = page.getByLabel('Gate', { exact: true });
  await poll(() => gate.inputValue()).not.toBe('');
  await gate.selectOption({ label: 'Main entrance' });
  await page.locator('#checkin-scan').focus();
  await wedgeScan(reference);
  await poll(async () => (await page.getByRole('status', { name: 'Verdict' }).textContent()) ?? '').toContain(holder);
}

async function openSyncScreen(): Promise<void> {
  // The indicator is the way there from every screen: reached with Tab, opened with Enter.
  await indicator().getByRole('link').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sync', level: 1 }).waitFor();
}

describe('the sync worker, its indicator and the Sync screen against a real server', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-sync-e2e-'));
    terminalDir = join(temp, 'terminal');
    serverDir = join(temp, 'server');
    await runCliOk(['seed', '--data-dir', terminalDir, '--customers', '40', '--tickets', '60', '--tags', '20', '--seed', '5']);
    tickets = prepareTerminal(storeFile(terminalDir));
    await serverHoldsTheFestival();
    port = await closedPort();
    server = await startServerProcess(['--data-dir', serverDir, '--port', String(port)]);
    // The server takes commands from its operators only; the terminal receives this one at its first pull.
    await serverCliJson(['operators', 'add', '--name', 'e2e-operator', '--role', 'admin', '--pin', '2468', '--data-dir', serverDir]);
    web = await startServe({ dataDir: terminalDir });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await server?.stop();
    if (!process.env.KEEP_E2E) rmSync(temp, { recursive: true, force: true });
  });

  it('shows the terminal not enrolled, refuses a wrong code under its field, and enrols with the code the server made', async () => {
    await page.goto(`${web!.url}#/customers`);
    await poll(indicatorText).toBe('Server: not enrolled');
    await openSyncScreen();
    const form = page.getByRole('form', { name: 'Enrol this terminal' });
    await form.getByLabel('Server address').focus();
    await page.keyboard.type(`http://127.0.0.1:${port}`);
    await page.keyboard.press('Tab');
    await page.keyboard.type('WRONG-CODE');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Gate North 2');
    await page.keyboard.press('Enter');
    const codeField = form.getByLabel('Enrolment code');
    await poll(() => codeField.getAttribute('aria-invalid')).toBe('true');
    const codeError = await form.locator('.field-invalid .field-error').textContent();
    expect(codeError).toMatch(/code/i);
    await saveScreenshot(page, 'sync-enrol-wrong-code');

    const { code } = await serverCliJson<{ code: string }>(['enrol-code', '--role', 'admin', '--data-dir', serverDir]);
    await codeField.fill(code);
    await codeField.press('Enter');
    // The first pull brings the server's operators (DESIGN.md section 6a): from then on staff sign
    // in here too, with the PIN the server's administrator gave them.
    await signIn(page, 'e2e-operator', '2468');
    await openSyncScreen();
    await poll(indicatorText).toMatch(/^Server: online · synced /);
    const details = page.getByRole('region', { name: 'Central server' });
    expect(await details.textContent()).toContain('Gate North 2');
    await saveScreenshot(page, 'sync-enrolled');
  });

  it('pushes a scan in the background: the indicator shows it waiting, then synced', async () => {
    await recordIndicator();
    await scanAtMainEntrance(tickets[0]!.reference, tickets[0]!.name);
    await poll(recordedTexts).toContain('Server: online · 1 waiting');
    await poll(indicatorText).toMatch(/^Server: online · synced /);
    const texts = await recordedTexts();
    expect(texts.indexOf('Server: online · 1 waiting')).toBeLessThan(texts.findLastIndex((text) => text.startsWith('Server: online · synced ')));
    await saveScreenshot(page, 'sync-scan-synced');
  });

  it('keeps scanning when the server stops: the scan waits on the terminal and the indicator says offline', async () => {
    await server!.stop();
    await scanAtMainEntrance(tickets[1]!.reference, tickets[1]!.name);
    await poll(indicatorText).toBe('Server: offline · 1 waiting');
    await openSyncScreen();
    const waiting = page.getByRole('region', { name: 'Waiting (1)' });
    await waiting.waitFor();
    const row = waiting.getByRole('row').nth(1);
    expect(await row.textContent()).toContain('Scanned at a gate');
    expect(await row.textContent()).toContain(tickets[1]!.name);
    expect(await row.textContent()).toContain(`Ticket ${tickets[1]!.reference}`);
    expect(await page.locator('.sync-problem').textContent()).toContain(`Cannot reach the server at http://127.0.0.1:${port}`);
    await saveScreenshot(page, 'sync-offline-waiting');
  });

  it('drains the waiting scan by itself once the server is back, and "Sync now" then finds nothing to send', async () => {
    server = await startServerProcess(['--data-dir', serverDir, '--port', String(port)]);
    await poll(indicatorText, 90_000).toMatch(/^Server: online · synced /);
    await page.getByRole('region', { name: 'Waiting (0)' }).waitFor();
    expect(await page.locator('.sync-problem').count()).toBe(0);
    await page.getByRole('button', { name: 'Sync now' }).focus();
    await page.keyboard.press('Enter');
    await poll(async () => (await page.locator('.sync-now-result').textContent()) ?? '').toBe('Nothing to send.');
    await saveScreenshot(page, 'sync-drained');

    await server.stop();
    const terminal = new Database(storeFile(terminalDir), { readonly: true });
    const { value: deviceId } = terminal.prepare("SELECT value FROM terminal_state WHERE key = 'device_id'").get() as { value: string };
    terminal.close();
    const db = await openServerDatabase({ pglite: pgliteDir(serverDir) });
    try {
      const scans = await db.selectFrom('scans').select('code').where('device_id', '=', deviceId).orderBy('scanned_at').execute();
      expect(scans.map((scan) => scan.code)).toEqual(tickets.map((ticket) => ticket.reference));
    } finally {
      await db.destroy();
    }
  });
});
