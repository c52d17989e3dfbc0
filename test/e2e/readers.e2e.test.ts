// End-to-end: readers in Debian's Chromium against `box-office serve`. A simulated reader is added
// on the Devices screen; a tag tapped on it opens the right customer card in another tab, a
// keyboard-wedge scan of a ticket opens its holder's card, in the Assign tag dialog a tapped tag
// fills the UID field instead of opening a card, and the simulated-reader panel does the same in
// the customers screen's own tab.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';

interface Holder {
  id: string;
  name: string;
  uid: string;
}

interface Picked {
  tagHolder: Holder;
  ticketHolder: { id: string; name: string; reference: string };
}

const viewport = { width: 1280, height: 900 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });
const spaced = (uid: string) => uid.match(/../g)?.join(':') ?? uid;

let temp: string;
let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let context: BrowserContext;
let devicesPage: Page;
let customersPage: Page;
let picked: Picked;

function pickFromStore(file: string): Picked {
  const db = new Database(file, { readonly: true });
  try {
    const tagHolder = db
      .prepare(
        `SELECT c.id, c.first_name || ' ' || c.last_name AS name, t.uid FROM tags t JOIN customers c ON c.id = t.customer_id
         WHERE c.first_name IS NOT NULL AND c.last_name IS NOT NULL AND c.deleted_at IS NULL
           AND (SELECT count(*) FROM tags o WHERE o.uid = t.uid) = 1
         ORDER BY t.uid LIMIT 1`,
      )
      .get() as Holder | undefined;
    const ticketHolder = db
      .prepare(
        `SELECT c.id, c.first_name || ' ' || c.last_name AS name, k.reference FROM tickets k JOIN customers c ON c.id = k.customer_id
         WHERE c.first_name IS NOT NULL AND c.last_name IS NOT NULL AND c.deleted_at IS NULL AND c.id != ?
         ORDER BY k.reference LIMIT 1`,
      )
      .get(tagHolder?.id ?? '') as Picked['ticketHolder'] | undefined;
    if (!tagHolder || !ticketHolder) throw new Error('The seeded store has no named customer with a tag and another with a ticket');
    return { tagHolder, ticketHolder };
  } finally {
    db.close();
  }
}

describe('readers in Chromium against box-office serve', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-readers-e2e-'));
    dataDir = join(temp, 'data');
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '120', '--tickets', '200', '--tags', '100', '--seed', '11', '--starts', '2026-07-10']);
    picked = pickFromStore(storeFile(dataDir));
    server = await startServe({ dataDir });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport });
    devicesPage = await context.newPage();
    customersPage = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('adds a simulated reader on the Devices screen and shows it connected', async () => {
    if (!server) throw new Error('server not started');
    await devicesPage.goto(`${server.url}#/devices`);
    await devicesPage.getByRole('heading', { name: 'Devices', level: 1 }).waitFor();
    expect(await devicesPage.getByRole('link', { name: 'Devices' }).getAttribute('aria-current')).toBe('page');
    const form = devicesPage.getByRole('form', { name: 'Add a reader' });
    // A serial scanner without a device is refused next to the path field.
    await form.getByLabel('Name').fill('Gate scanner');
    await form.getByLabel('Driver').selectOption('serial-barcode');
    await form.getByRole('button', { name: 'Add reader' }).click();
    await poll(() => form.getByLabel('Device path').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByRole('alert').first().textContent()).toContain('Give the device path or its USB id');

    await form.getByLabel('Name').fill('Demo reader');
    await form.getByLabel('Driver').selectOption('simulated');
    await form.getByRole('button', { name: 'Add reader' }).click();
    const card = devicesPage.getByRole('listitem', { name: 'Reader Demo reader' });
    await poll(() => card.locator('[data-reader-state]').getAttribute('data-reader-state')).toBe('connected');
    expect(await card.textContent()).toContain('Simulated reader');
    await devicesPage.getByRole('heading', { name: 'Devices found' }).waitFor();
  });

  it('a tag tapped on the simulated reader opens its holder’s card on the customers screen', async () => {
    if (!server) throw new Error('server not started');
    await customersPage.goto(`${server.url}#/customers`);
    await customersPage.getByRole('status').filter({ hasText: '120 customers' }).waitFor();

    const card = devicesPage.getByRole('listitem', { name: 'Reader Demo reader' });
    await card.getByRole('button', { name: 'Test read' }).click();
    await card.getByLabel('Tag UID').fill(spaced(picked.tagHolder.uid).toLowerCase());
    await card.getByRole('button', { name: 'Tap tag' }).click();

    await poll(() => customersPage.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(
      `#/customers/${encodeURIComponent(picked.tagHolder.id)}`,
    );
    await customersPage.getByRole('heading', { name: picked.tagHolder.name, level: 1 }).waitFor();
    await poll(() => card.getByRole('status').textContent()).toBe(`Test read: Tag ${spaced(picked.tagHolder.uid)} presented`);
    await poll(() => card.getByLabel('Last read').textContent()).toContain(`Tag ${spaced(picked.tagHolder.uid)}`);
    await saveScreenshot(devicesPage, 'devices-screen');
  });

  it('a keyboard-wedge scan of a ticket opens its holder’s card, and an unknown code says so', async () => {
    await customersPage.getByRole('link', { name: 'Customers' }).click();
    await customersPage.getByRole('status').filter({ hasText: '120 customers' }).waitFor();
    // Scanners type 5-15 ms per key and end with Enter; here into the focused search box.
    await customersPage.getByRole('searchbox', { name: 'Search customers' }).focus();
    await customersPage.keyboard.type(picked.ticketHolder.reference, { delay: 8 });
    await customersPage.keyboard.press('Enter');
    await customersPage.getByRole('heading', { name: picked.ticketHolder.name, level: 1 }).waitFor();

    // On the card, with nothing focused, an unknown code shows a notice and the card stays.
    await customersPage.locator('body').click({ position: { x: 5, y: 880 } });
    await customersPage.keyboard.type('NO-SUCH-TICKET-42', { delay: 8 });
    await customersPage.keyboard.press('Enter');
    await poll(() => customersPage.locator('.scan-notice').textContent()).toContain('NO-SUCH-TICKET-42');
    await customersPage.getByRole('heading', { name: picked.ticketHolder.name, level: 1 }).waitFor();
  });

  it('in the Assign tag dialog a tapped tag fills the UID field instead of opening a card', async () => {
    await customersPage.getByRole('button', { name: 'Actions' }).click();
    await customersPage.getByRole('menuitem', { name: 'Assign tag', exact: true }).click();
    const dialog = customersPage.getByRole('dialog', { name: 'Assign tag' });
    await dialog.waitFor();

    const card = devicesPage.getByRole('listitem', { name: 'Reader Demo reader' });
    await card.getByLabel('Tag UID').fill('04E2E0C0FFEE77');
    await card.getByRole('button', { name: 'Tap tag' }).click();
    await poll(() => dialog.getByLabel('Tag UID').inputValue()).toBe('04:E2:E0:C0:FF:EE:77');
    await customersPage.getByRole('heading', { name: picked.ticketHolder.name, level: 1 }).waitFor();
  });

  it('the simulated-reader panel (Alt+R) presents a tag on the customers screen of the same tab', async () => {
    const dialog = customersPage.getByRole('dialog', { name: 'Assign tag' });
    await customersPage.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    await customersPage.getByRole('link', { name: 'Customers' }).click();
    // The list still holds the earlier search for the scanned ticket.
    await customersPage.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    await customersPage.keyboard.press('Alt+R');
    const panel = customersPage.getByRole('complementary', { name: 'Simulated reader' });
    await panel.getByLabel('Ticket reference or tag UID').fill(spaced(picked.tagHolder.uid));
    await panel.getByRole('button', { name: 'Tap wristband' }).click();
    await customersPage.getByRole('heading', { name: picked.tagHolder.name, level: 1 }).waitFor();
    // The panel stays open over the card, ready for the next code; a bad code is refused in words.
    await panel.getByLabel('Ticket reference or tag UID').fill('not a uid');
    await panel.getByRole('button', { name: 'Tap wristband' }).click();
    await poll(() => panel.getByRole('alert').textContent()).toMatch(/UID/);
    expect(await panel.getByRole('alert').textContent()).not.toMatch(/action\.|readerId/);
    await saveScreenshot(customersPage, 'simulated-reader-panel-card');
    await customersPage.keyboard.press('Alt+R');
    await poll(() => panel.count()).toBe(0);
  });

  it('removes the reader', async () => {
    const card = devicesPage.getByRole('listitem', { name: 'Reader Demo reader' });
    await card.getByRole('button', { name: 'Remove' }).click();
    await poll(() => card.count()).toBe(0);
    const readers = JSON.parse(await runCliOk(['readers', '--data-dir', dataDir, '--json'])) as { readers: unknown[] };
    // The server holds the store; the CLI may read it alongside (WAL) and sees no reader left.
    expect(readers.readers).toEqual([]);
  });
});
