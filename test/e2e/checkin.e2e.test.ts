// End-to-end: the Check-in and Wristband activation screens in Debian's Chromium against
// `box-office serve` on a seeded data folder. Scans are typed like a keyboard-wedge scanner (keys a
// few ms apart, then Enter) into the focused scan field; one goes through a simulated reader added on
// the Devices screen. Covers admit, duplicate (first scan's time and gate), banned, unknown, exit
// then re-entry, undo, the activation flow, and the station lock with its PIN.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';

interface PickedTicket {
  reference: string;
  name: string;
}

interface Picked {
  admit: PickedTicket;
  activate: PickedTicket;
  banned: string;
  /** An active wristband never scanned, for the reader tap during a reload. */
  wristband: string;
}

const viewport = { width: 1400, height: 900 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

/**
 * A reader card's state on the Devices page; when the card is missing, what the page shows
 * instead (its status line and the add form's error), so a failing wait says why.
 */
async function readerState(devices: Page, name: string): Promise<string | null> {
  const card = devices.getByRole('listitem', { name: `Reader ${name}` });
  if ((await card.count()) === 0) {
    const summary = await devices.locator('.screen-summary').textContent();
    const form = await devices.getByRole('form', { name: 'Add a reader' }).locator('[role="alert"]').allTextContents();
    return `no reader "${name}" listed (${summary ?? 'no status'}; add form: ${form.join(' ') || 'no error'})`;
  }
  return card.locator('[data-reader-state]').getAttribute('data-reader-state');
}

let temp: string;
let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let page: Page;
let picked: Picked;
let insideBefore = 0;

/**
 * The synthetic festival's ticket types are valid in July 2026; the scans here happen now, so the
 * windows are moved around the present. Tickets are picked that were never scanned.
 */
function prepareStore(file: string): Picked {
  const db = new Database(file);
  try {
    const now = Date.now();
    db.prepare('UPDATE ticket_types SET valid_from = ?, valid_until = ?').run(new Date(now - 86_400_000).toISOString(), new Date(now + 86_400_000).toISOString());
    const fresh = `SELECT k.reference, c.first_name || ' ' || c.last_name AS name FROM tickets k
        JOIN customers c ON c.id = k.customer_id JOIN ticket_types y ON y.id = k.ticket_type_id
        WHERE y.name = 'Weekend' AND k.status = 'valid' AND k.banned = 0 AND k.redeemed = 0 AND k.entry_count = 0 AND k.inside_since IS NULL
          AND c.first_name IS NOT NULL AND c.last_name IS NOT NULL AND c.deleted_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.ticket_id = k.id)
        ORDER BY k.reference LIMIT 2`;
    const [admit, activate] = db.prepare(fresh).all() as PickedTicket[];
    const banned = db.prepare('SELECT reference FROM tickets WHERE banned = 1 ORDER BY reference LIMIT 1').get() as { reference: string } | undefined;
    const wristband = db
      .prepare('SELECT uid FROM tags WHERE active = 1 AND banned = 0 AND entry_count = 0 AND inside_since IS NULL AND NOT EXISTS (SELECT 1 FROM scans s WHERE s.tag_id = tags.id) ORDER BY uid LIMIT 1')
      .get() as { uid: string } | undefined;
    if (!admit || !activate || !banned || !wristband) throw new Error('The seeded store lacks two fresh Weekend tickets with named holders, a banned ticket or a fresh wristband');
    return { admit, activate, banned: banned.reference, wristband: wristband.uid };
  } finally {
    db.close();
  }
}

/** Types like a keyboard-wedge scanner into whatever has the focus (the scan field keeps it). */
async function wedgeScan(text: string): Promise<void> {
  await page.keyboard.type(text, { delay: 8 });
  await page.keyboard.press('Enter');
}

const verdict = () => page.getByRole('status', { name: 'Verdict' });

/** The focused element as staff would name it: its accessible label or text. */
const focusedControl = () =>
  page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: { id: string; textContent: string | null; getAttribute(name: string): string | null } | null } }).document.activeElement;
    if (!active) return '';
    return active.id === 'checkin-scan' || active.id === 'checkin-gate' ? `#${active.id}` : (active.getAttribute('aria-label') ?? active.textContent ?? '').trim();
  });

/** A new verdict fades in over 160 ms; screenshots wait for it to settle. */
async function screenshotVerdict(name: string): Promise<void> {
  await page.waitForTimeout(300);
  await saveScreenshot(page, name);
}

/** Waits for a verdict of `tone` whose text contains `text` (each scan replaces the previous one). */
async function expectVerdict(tone: string, text: string): Promise<string> {
  await poll(async () => {
    const shown = verdict();
    return `${await shown.getAttribute('data-tone')} ${await shown.textContent()}`;
  }).toMatch(new RegExp(`^${tone} .*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  return (await verdict().textContent()) ?? '';
}

describe('check-in and wristband activation in Chromium against box-office serve', { timeout: 90_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-checkin-e2e-'));
    dataDir = join(temp, 'data');
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '120', '--tickets', '200', '--tags', '100', '--seed', '11']);
    picked = prepareStore(storeFile(dataDir));
    server = await startServe({ dataDir });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport });
    page = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('admits a valid ticket with the holder and type, at the chosen gate', async () => {
    if (!server) throw new Error('server not started');
    await page.goto(`${server.url}#/checkin`);
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Check-in' }).getAttribute('aria-current')).toBe('page');
    const gate = page.getByLabel('Gate', { exact: true });
    await poll(() => gate.inputValue()).not.toBe('');
    await gate.selectOption({ label: 'Main entrance' });
    // The seeded festival has people inside already (scans from its own days).
    const inside = page.getByRole('complementary', { name: 'Live counts' }).locator('[data-count="insideNow"]');
    await poll(async () => Number(await inside.textContent())).not.toBeNaN();
    insideBefore = Number(await inside.textContent());
    await page.locator('#checkin-scan').focus();
    await wedgeScan(picked.admit.reference);
    const text = await expectVerdict('admit', 'ADMIT');
    expect(text).toContain(picked.admit.name);
    expect(text).toContain('Weekend');
    // Ready for the next scan without a click.
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('checkin-scan');
    await screenshotVerdict('checkin-admit');
  });

  it('tabs from the scan field through direction, gate, lock and manual check-in, without bouncing back', async () => {
    await page.locator('#checkin-scan').focus();
    const order: string[] = [];
    for (let step = 0; step < 7; step++) {
      await page.keyboard.press('Tab');
      // The undo button counts down its 60 s after an admission.
      order.push((await focusedControl()).replace(/ · \d+ s$/, ''));
    }
    expect(order).toEqual(['Entry', 'Exit', '#checkin-gate', 'Lock station', 'Manual check-in…', 'New gate', 'Undo last admission (F9)']);
    await page.keyboard.press('Shift+Tab');
    expect(await focusedControl()).toBe('New gate');
    // Back to the scan field for the next tests (as a click on the verdict does).
    await page.locator('#checkin-scan').focus();
  });

  it('rejects the same ticket again as a duplicate, showing when and at which gate it was first used', async () => {
    await wedgeScan(picked.admit.reference);
    const text = await expectVerdict('reject', 'REJECT');
    expect(text).toContain('Already inside');
    expect(text).toContain('First used');
    expect(text).toContain('at Main entrance');
    await screenshotVerdict('checkin-reject-duplicate');
  });

  it('rejects an unknown code, and a banned ticket scanned on a simulated reader', async () => {
    await wedgeScan('NO-SUCH-TICKET-42');
    // The duplicate before it was a REJECT too: wait for this scan's own verdict.
    expect(await expectVerdict('reject', 'NO-SUCH-TICKET-42')).toContain('REJECT');

    // A simulated reader added on the Devices screen (another tab) scans the banned ticket.
    if (!server) throw new Error('server not started');
    const devices = await context.newPage();
    await devices.goto(`${server.url}#/devices`);
    const form = devices.getByRole('form', { name: 'Add a reader' });
    await form.getByLabel('Name').fill('Gate reader');
    await form.getByLabel('Driver').selectOption('simulated');
    await form.getByRole('button', { name: 'Add reader' }).click();
    const card = devices.getByRole('listitem', { name: 'Reader Gate reader' });
    await poll(() => readerState(devices, 'Gate reader')).toBe('connected');
    await card.getByLabel('Barcode text').fill(picked.banned);
    await card.getByRole('button', { name: 'Scan barcode' }).click();
    expect(await expectVerdict('reject', 'is banned')).toContain(picked.banned);
    await devices.close();
  });

  it('records an exit, then admits the re-entry in amber, and undoes that admission', async () => {
    expect(await verdict().getAttribute('data-tone')).toBe('reject');
    await page.keyboard.press('F2');
    await poll(() => page.getByRole('radio', { name: 'Exit' }).getAttribute('aria-checked')).toBe('true');
    // The rejection was for the entry: it goes, so nobody reads it as the exit's verdict.
    await poll(() => verdict().getAttribute('data-tone')).toBe('ready');
    expect(await verdict().textContent()).toContain('Exit at Main entrance');
    await screenshotVerdict('checkin-after-f2');
    await wedgeScan(picked.admit.reference);
    await expectVerdict('admit', 'EXIT');
    await page.getByRole('radio', { name: 'Entry' }).click();
    await wedgeScan(picked.admit.reference);
    expect(await expectVerdict('warn', 'RE-ENTRY')).toContain(picked.admit.name);
    await screenshotVerdict('checkin-warning-reentry');

    const undo = page.getByRole('button', { name: /^Undo last admission/ });
    await poll(() => undo.isEnabled()).toBe(true);
    await page.keyboard.press('F9');
    await expectVerdict('undone', 'UNDONE');
    await poll(() => undo.isEnabled()).toBe(false);
    // Undone: the ticket is outside again, so the next entry is a re-entry once more.
    await wedgeScan(picked.admit.reference);
    await expectVerdict('warn', 'RE-ENTRY');
  });

  it('shows the live counts with the chart of entries per 15 minutes', async () => {
    const panel = page.getByRole('complementary', { name: 'Live counts' });
    await poll(() => panel.locator('[data-count="insideNow"]').textContent()).toBe(String(insideBefore + 1));
    // Admitted entries: the first entry and the re-entry after the undone one.
    await poll(() => panel.locator('[data-count="admittedToday"]').textContent()).toBe('2');
    await poll(() => panel.locator('[data-count="rejectedToday"]').textContent()).toBe('3');
    expect(await panel.locator('.entries-chart canvas').count()).toBe(1);
    expect(await panel.getByRole('img').getAttribute('aria-label')).toContain('busiest quarter');
    const reasons = await panel.getByRole('heading', { name: 'Rejected by reason' }).locator('..').textContent();
    expect(reasons).toContain('Already inside');
    expect(reasons).toContain('Banned');
    expect(reasons).toContain('Unknown code');
    await screenshotVerdict('checkin-counts');
  });

  it('records a wristband tapped on a reader while the page reloads, and shows its verdict after', async () => {
    if (!server) throw new Error('server not started');
    const devices = await context.newPage();
    await devices.goto(`${server.url}#/devices`);
    const card = devices.getByRole('listitem', { name: 'Reader Gate reader' });
    await poll(() => readerState(devices, 'Gate reader')).toBe('connected');
    // The check-in page is gone (no renderer connected) when the tag is presented.
    await page.goto('about:blank');
    await card.getByLabel('Tag UID').fill(picked.wristband);
    await card.getByRole('button', { name: 'Tap tag' }).click();
    const recorded = () => {
      const db = new Database(storeFile(dataDir), { readonly: true });
      try {
        return db.prepare('SELECT verdict FROM scans WHERE code = ?').all(picked.wristband) as { verdict: string }[];
      } finally {
        db.close();
      }
    };
    await poll(() => recorded().length).toBe(1);
    await devices.close();
    await page.goto(`${server.url}#/checkin`);
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();
    await poll(async () => (await verdict().textContent()) ?? '').toContain('Wristband');
    expect(await verdict().getAttribute('data-tone')).toBe(recorded()[0]!.verdict === 'admitted' ? 'admit' : 'reject');
    await expect(page.locator('[data-reader-mode="here"]').textContent()).resolves.toContain('Readers check in here');
    await screenshotVerdict('checkin-reader-after-reload');
  });

  it('activates a wristband for a ticket, and refuses a second wristband for the same ticket', async () => {
    await page.getByRole('link', { name: 'Wristband activation' }).click();
    await page.getByRole('heading', { name: 'Wristband activation', level: 1 }).waitFor();
    await poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('activation-ticket');
    await wedgeScan(picked.activate.reference);
    await poll(() => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)).toBe('activation-tag');
    await page.keyboard.type('04:e2:e0:c0:ff:ee:01');
    await page.keyboard.press('Enter');
    const lines = page.getByRole('list', { name: 'Exchange results' }).getByRole('listitem');
    await poll(() => lines.count()).toBe(1);
    const ok = await lines.first().textContent();
    expect(ok).toContain('Activated');
    expect(ok).toContain(picked.activate.name);
    expect(ok).toContain(`Ticket ${picked.activate.reference}`);
    expect(ok).toContain('04:E2:E0:C0:FF:EE:01');

    await page.getByLabel('Ticket reference').fill(picked.activate.reference);
    await page.getByLabel('Wristband UID').fill('04E2E0C0FFEE02');
    await page.getByRole('button', { name: 'Activate' }).click();
    await poll(() => lines.count()).toBe(2);
    expect(await lines.first().getAttribute('data-ok')).toBe('false');
    expect(await lines.first().textContent()).toContain('Refused');
    await saveScreenshot(page, 'activation');
  });

  it('locks the station to check-in until the supervisor PIN unlocks it', async () => {
    await page.getByRole('link', { name: 'Check-in' }).click();
    await page.getByRole('button', { name: 'Lock station' }).click();
    const dialog = page.getByRole('dialog', { name: 'Lock station' });
    await dialog.getByLabel('Supervisor PIN').fill('2468');
    await dialog.getByLabel('Repeat the PIN').fill('2468');
    await dialog.getByRole('button', { name: 'Save PIN and lock' }).click();
    await poll(() => page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Unlock station' }).waitFor();

    // Other screens lead back to check-in, even after a reload.
    await page.evaluate(() => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = '#/customers';
    });
    await poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#/checkin');
    await page.reload();
    await page.getByRole('heading', { name: 'Check-in', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Unlock station' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    // Scanning still works on a locked station.
    await page.locator('#checkin-scan').focus();
    await wedgeScan('NO-SUCH-TICKET-43');
    await expectVerdict('reject', 'NO-SUCH-TICKET-43');
    await screenshotVerdict('station-locked');

    await page.getByRole('button', { name: 'Unlock station' }).click();
    const unlock = page.getByRole('dialog', { name: 'Unlock station' });
    await unlock.getByLabel('Supervisor PIN').fill('1111');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await poll(() => unlock.getByRole('alert').textContent()).toContain('Wrong PIN');
    await unlock.getByLabel('Supervisor PIN').fill('2468');
    await unlock.getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('link', { name: 'Customers' }).click();
    await poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe('#/customers');
  });
});
