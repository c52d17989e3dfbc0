// End-to-end: the Import customers screen in Debian's Chromium against `box-office serve` on a
// seeded data folder: pick a file, fix a column the header did not name, dry-run (nothing changes),
// import (through the host's worker thread), read the summary and row errors, then find an
// imported customer and open their card.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeFile } from '../../host/data-dir.ts';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import type { PageElement, PageGlobals } from './page-globals.ts';

interface Held {
  reference: string;
  customerId: string;
}

let temp: string;
let dataDir: string;
let csvPath: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let page: Page;
let held: Held;

const viewport = { width: 1280, height: 860 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 });

/** Reads the store beside the running server (WAL lets a reader in while it writes). */
function readStore<T>(read: (db: Database.Database) => T): T {
  const db = new Database(storeFile(dataDir), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const customerCount = () => readStore((db) => (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n);
const outboxCount = () => readStore((db) => (db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n);
const customerByEmail = (email: string) =>
  readStore((db) => db.prepare('SELECT id, first_name AS firstName, last_name AS lastName FROM customers WHERE email = ?').get(email) as
    | { id: string; firstName: string; lastName: string }
    | undefined);

/**
 * The file as another system exported it: "Family" is a column name the importer does not know
 * (staff map it to Last name), "Note" is left out. Rows 3 to 5 are bad in three different ways;
 * row 6's ticket type is misspelt ("Wekend"), which staff map to the event's "Weekend".
 */
function importFile(heldReference: string): string {
  return [
    'Email,First name,Family,Barcode,Ticket type,Note',
    'ada.import@example.com,Ada,Lovelace,IMP-0001,Weekend,met at the gate',
    'not-an-email,Bad,Email,IMP-0002,Weekend,',
    `thief.import@example.com,Held,Ticket,${heldReference},Weekend,`,
    'extra.import@example.com,Too,Many,IMP-0004,Weekend,x,unexpected',
    'grace.import@example.com,Grace,Hopper,IMP-0005,Wekend,',
    '',
  ].join('\r\n');
}

/** A screenshot of the whole page as a window that tall would show it (sticky bars in place). */
async function screenshotWholePage(target: Page, name: string): Promise<void> {
  const height = await target.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollHeight);
  await target.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, height) });
  await target.evaluate(() => (globalThis as unknown as PageGlobals).scrollTo(0, 0));
  await saveScreenshot(target, name);
  await target.setViewportSize(viewport);
}

const tileValue = (label: string) =>
  page.locator('.total-tile').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');

async function rejectedRows(): Promise<string[][]> {
  const rows = page.getByRole('table', { name: /Rejected rows|Rows that would be rejected/ }).locator('tbody tr');
  return rows.evaluateAll((elements) =>
    elements.map((row) => Array.from(row.querySelectorAll('th, td'), (cell) => (cell as { textContent: string | null }).textContent?.trim() ?? '')),
  );
}

describe('Import customers screen in Chromium against box-office serve', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'box-office-e2e-import-'));
    dataDir = join(temp, 'data');
    await runCliOk(['seed', '--data-dir', dataDir, '--customers', '80', '--tickets', '120', '--tags', '20', '--seed', '11']);
    held = readStore((db) =>
      db.prepare("SELECT reference, customer_id AS customerId FROM tickets WHERE customer_id IS NOT NULL AND status = 'valid' ORDER BY reference LIMIT 1").get(),
    ) as Held;
    csvPath = join(temp, 'festival-export.csv');
    writeFileSync(csvPath, importFile(held.reference));
    server = await startServe({ dataDir });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport });
    page = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(temp, { recursive: true, force: true });
  });

  it('opens from the customers list and previews the chosen file with its column mapping', async () => {
    if (!server) throw new Error('server not started');
    await page.goto(server.url);
    await poll(() => page.getByRole('status', { name: 'Connection status' }).textContent()).toBe('Connected');
    await page.getByRole('status').filter({ hasText: '80 customers' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Import customers' }).click();
    await page.getByRole('heading', { name: 'Import customers', level: 1 }).waitFor();
    expect(page.url()).toContain('#/import');
    await poll(() => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).getAttribute('aria-current')).toBe('page');

    await page.getByLabel('CSV file').setInputFiles(csvPath);
    const preview = page.getByRole('table', { name: /First 5 rows of festival-export\.csv/ });
    await preview.waitFor();
    await poll(() => page.locator('.import-file-facts').textContent()).toMatch(/6 columns separated by commas, 5 rows\./);
    const mapping = () =>
      preview.locator('select').evaluateAll((selects) => selects.map((select) => (select as unknown as PageElement).value ?? ''));
    expect(await mapping()).toEqual(['email', 'firstName', '', 'ticketReference', 'ticketType', '']);
    expect(await preview.locator('tbody tr').first().textContent()).toContain('ada.import@example.com');

    // Without an email or ticket column nothing can run, and the screen says why.
    await page.getByRole('combobox', { name: 'Column 1 “Email” holds' }).selectOption('');
    await page.getByRole('combobox', { name: 'Column 4 “Barcode” holds' }).selectOption('');
    await page.getByText(/^Choose the column that holds the email or the ticket reference/).waitFor();
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Use the columns as named in the file' }).click();

    // The unknown "Family" column is chosen with the keyboard.
    const family = page.getByRole('combobox', { name: 'Column 3 “Family” holds' });
    await family.focus();
    await family.selectOption({ label: 'Last name' });
    expect(await mapping()).toEqual(['email', 'firstName', 'lastName', 'ticketReference', 'ticketType', '']);
    await page.getByText(/^Into event /).waitFor();
    await screenshotWholePage(page, 'import-preview');
  });

  it('dry-runs: a misspelt ticket type is listed with the closest type and mapped to it, nothing saved', async () => {
    const customersBefore = customerCount();
    const outboxBefore = outboxCount();
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: /^Dry run: what the import would do/ }).waitFor();
    expect(await tileValue('Rejected').textContent()).toBe('4');
    expect((await rejectedRows()).at(-1)).toEqual([
      '6',
      'Ticket type: "Wekend" is not a ticket type of this event (did you mean "Weekend"?); choose an existing type for it or create it, and import these rows again',
    ]);
    const choice = page.getByRole('combobox', { name: /“Wekend” \(1 row\) · did you mean “Weekend”\?/ });
    expect(await choice.inputValue()).toBe('');
    await screenshotWholePage(page, 'import-unknown-ticket-type');
    await choice.focus();
    await choice.selectOption({ label: 'Import as Weekend (closest)' });
    await page.getByRole('button', { name: 'Dry run' }).click();
    await page.getByRole('heading', { name: /^Dry run: what the import would do/ }).waitFor();
    expect(await tileValue('Rows read').textContent()).toBe('5');
    expect(await tileValue('Would be imported').textContent()).toBe('2');
    expect(await tileValue('Rejected').textContent()).toBe('3');
    expect(await rejectedRows()).toEqual([
      ['3', 'Email: Invalid email address'],
      ['4', expect.stringMatching(new RegExp(`^Ticket reference: ticket ${held.reference} belongs to another customer`))],
      ['5', 'the row has 7 fields but the header has 6'],
    ]);
    expect(await page.locator('.import-details').textContent()).toContain('Ticket types that would be createdNone');
    await screenshotWholePage(page, 'import-dry-run');
    expect(customerCount()).toBe(customersBefore);
    expect(outboxCount()).toBe(outboxBefore);
    expect(customerByEmail('ada.import@example.com')).toBeUndefined();
  });

  it('imports with a progress bar, then shows the summary with the rejected rows', async () => {
    const customersBefore = customerCount();
    // Records every value the progress bar shows (a small file is through in a moment).
    await page.evaluate(() => {
      const globals = globalThis as unknown as PageGlobals & { progressSeen?: string[] };
      const seen: string[] = [];
      globals.progressSeen = seen;
      const observer = new globals.MutationObserver(() => {
        const bar = globals.document.querySelector('[role=progressbar]');
        const value = bar?.getAttribute('aria-valuenow');
        if (value != null && seen.at(-1) !== value) seen.push(value);
      });
      observer.observe(globals.document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });
    await page.getByRole('button', { name: 'Import', exact: true }).focus();
    await page.keyboard.press('Enter');
    const heading = page.getByRole('heading', { name: 'Import finished' });
    await heading.waitFor();
    const seen = await page.evaluate(() => (globalThis as unknown as { progressSeen: string[] }).progressSeen);
    expect(seen[0]).toBe('0');
    expect(seen.at(-1)).toBe('100');
    // The summary takes the focus, so keyboard users land on it.
    await poll(() => page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.getAttribute('id'))).toBe(await heading.getAttribute('id'));

    expect(await tileValue('Rows read').textContent()).toBe('5');
    expect(await tileValue('Imported').textContent()).toBe('2');
    expect(await tileValue('Updated').textContent()).toBe('0');
    expect(await tileValue('Unchanged').textContent()).toBe('0');
    expect(await tileValue('Rejected').textContent()).toBe('3');
    expect((await rejectedRows()).map((row) => row[0])).toEqual(['3', '4', '5']);
    const details = await page.locator('.import-details').textContent();
    expect(details).toContain('Ticket types createdNone');
    expect(details).toContain('Ignored columnsNote');
    await screenshotWholePage(page, 'import-summary');

    // The rejected rows download as a CSV to fix and import again: original columns, then row and reason.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the rejected rows (CSV) to fix and import again' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('festival-export-rejected-rows.csv');
    const downloaded = readFileSync((await download.path())!, 'utf8').split('\r\n');
    expect(downloaded[0]).toBe('\uFEFFEmail,First name,Family,Barcode,Ticket type,Note,,Row in the original file,Why it was not imported');
    expect(downloaded[1]).toBe('not-an-email,Bad,Email,IMP-0002,Weekend,,,3,Email: Invalid email address');
    expect(downloaded).toHaveLength(5);
    expect(readStore((db) => db.prepare("SELECT t.name FROM tickets JOIN ticket_types t ON t.id = tickets.ticket_type_id WHERE reference = 'IMP-0005'").get())).toEqual({ name: 'Weekend' });

    expect(customerCount()).toBe(customersBefore + 2);
    expect(customerByEmail('ada.import@example.com')).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace' });
    expect(customerByEmail('thief.import@example.com')).toBeUndefined();
    const holder = readStore((db) => db.prepare('SELECT customer_id AS customerId FROM tickets WHERE reference = ?').get(held.reference)) as { customerId: string };
    expect(holder.customerId).toBe(held.customerId);
  });

  it('goes back to the list, where search finds an imported customer and opens the card', async () => {
    await page.getByRole('link', { name: 'Back to customers' }).click();
    await page.getByRole('status').filter({ hasText: '82 customers' }).waitFor();
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Lovelace');
    const results = page.getByRole('grid', { name: 'Search results' });
    await poll(() => results.getAttribute('aria-busy')).toBe('false');
    await results.getByRole('row', { name: /Ada Lovelace/ }).waitFor();
    await page.getByRole('searchbox', { name: 'Search customers' }).press('Enter');
    const card = page.getByRole('article', { name: 'Customer card: Ada Lovelace' });
    await card.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await poll(() => card.getByRole('region', { name: 'Contact information' }).textContent()).toContain('ada.import@example.com');
    await card.getByRole('region', { name: 'Tickets' }).getByRole('rowheader', { name: 'IMP-0001' }).waitFor();
  });
});
