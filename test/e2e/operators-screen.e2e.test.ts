// End-to-end: the Operators screen (issue 9, item 7 follow-up). `box-office serve` on a seeded data
// folder with an admin and a box-office operator. The admin, keyboard only, adds an operator (a
// taken name answered under the Name field), changes their role, is refused demoting the last
// admin (under the Role field), and removes them after a confirmation; the box-office operator
// never sees the screen; a window signed in as the removed operator goes back to the sign-in screen.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliOk, startServe, type RunningServer } from './box-office-server.ts';
import { launchBrowser, saveScreenshot } from './browser.ts';
import type { PageGlobals } from './page-globals.ts';
import { signIn } from './sign-in.ts';

const viewport = { width: 1280, height: 800 };
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 });

let temp: string;
let browser: Browser | undefined;
let server: RunningServer | undefined;
let admin: Page;

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'box-office-operators-screen-e2e-'));
  const dataDir = join(temp, 'data');
  await runCliOk(['seed', '--data-dir', dataDir, '--customers', '20', '--tickets', '20', '--tags', '5', '--seed', '7']);
  await runCliOk(['operators', 'add', '--name', 'Ada Admin', '--role', 'admin', '--pin', '1111', '--data-dir', dataDir]);
  await runCliOk(['operators', 'add', '--name', 'Bea Box', '--role', 'box_office', '--pin', '2222', '--data-dir', dataDir]);
  browser = await launchBrowser();
  server = await startServe({ dataDir });
  admin = await browser.newPage({ viewport });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(temp, { recursive: true, force: true });
});

const navLinks = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
const table = () => admin.getByRole('table');
const row = (name: string) => table().getByRole('row').filter({ has: admin.getByRole('rowheader', { name, exact: false }) });
/** The text of each cell of each body row: name, role, added. */
const rows = async () => (await table().getByRole('row').all()).slice(1).map(async (line) => (await line.locator('th, td').allInnerTexts()).slice(0, 2));

/** Opens a row's action with the keyboard: focus its button, Enter. */
async function press(button: Locator): Promise<void> {
  await button.focus();
  await admin.keyboard.press('Enter');
}

describe('the Operators screen', { timeout: 90_000 }, () => {
  it('is in an admin\'s menu and lists the operators with their role and when they were added', async () => {
    await admin.goto(`${server!.url}#/customers`);
    await signIn(admin, 'Ada Admin', '1111');
    await admin.getByLabel('Signed in as Ada Admin, admin').waitFor();
    expect(await navLinks(admin)).toEqual(['Customers', 'Import', 'Check-in', 'Wristband activation', 'Devices', 'Operators', 'Sync']);
    await press(admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Operators' }));
    await admin.getByRole('heading', { name: 'Operators', level: 1 }).waitFor();
    await poll(async () => Promise.all(await rows())).toEqual([
      ['Ada Admin you', 'Admin'],
      ['Bea Box', 'Box office'],
    ]);
    expect(await row('Ada Admin').getByRole('cell').nth(1).innerText()).toMatch(/\d{4}/);
    // Nobody removes themselves: no Remove on your own row.
    expect(await admin.getByRole('button', { name: 'Remove Ada Admin' }).count()).toBe(0);
    expect(await admin.getByRole('button', { name: 'Remove Bea Box' }).count()).toBe(1);
  });

  it('adds an operator with the keyboard; a taken name is answered under the Name field', async () => {
    const form = admin.getByRole('form', { name: 'Add an operator' });
    await form.getByLabel('Name').focus();
    await admin.keyboard.type('bea box');
    await admin.keyboard.press('Tab'); // Role: Steward
    await admin.keyboard.press('Tab');
    await admin.keyboard.type('4821');
    await admin.keyboard.press('Tab');
    await admin.keyboard.type('4821');
    await admin.keyboard.press('Enter');
    const nameError = form.locator('.field').filter({ has: admin.getByLabel('Name') }).getByRole('alert');
    await poll(() => nameError.textContent()).toBe('An operator named bea box exists already');
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');

    // Two PINs that differ are caught before anything is sent.
    await form.getByLabel('Name').fill('');
    await form.getByLabel('Name').focus();
    await admin.keyboard.type('Sam Jansen');
    await form.getByLabel('PIN again').fill('');
    await form.getByLabel('PIN again').focus();
    await admin.keyboard.type('4822');
    await form.locator('.field').filter({ has: admin.getByLabel('PIN again') }).getByRole('alert').filter({ hasText: 'The two PINs differ' }).waitFor();
    expect(await form.getByRole('button', { name: 'Add operator' }).isDisabled()).toBe(true);
    await admin.keyboard.press('Backspace');
    await admin.keyboard.type('1');
    await admin.keyboard.press('Enter');
    await admin.getByRole('status').filter({ hasText: 'Added Sam Jansen (steward)' }).waitFor();
    await poll(async () => Promise.all(await rows())).toEqual([
      ['Ada Admin you', 'Admin'],
      ['Bea Box', 'Box office'],
      ['Sam Jansen', 'Steward'],
    ]);
    expect(await form.getByLabel('Name').inputValue()).toBe('');
    expect(await nameError.count()).toBe(0);
  });

  it('changes a role with the keyboard; the last admin keeps theirs, said under the Role field', async () => {
    await press(admin.getByRole('button', { name: 'Change role of Sam Jansen' }));
    const dialog = admin.getByRole('dialog', { name: 'Change role of Sam Jansen' });
    await dialog.waitFor();
    // The role list has the focus: one step down is Box office.
    await admin.keyboard.press('ArrowDown');
    expect(await dialog.getByLabel('Role').inputValue()).toBe('box_office');
    await admin.keyboard.press('Tab'); // Cancel
    await admin.keyboard.press('Tab'); // Save role
    await admin.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await admin.getByRole('status').filter({ hasText: 'Sam Jansen is now box office.' }).waitFor();
    expect(await row('Sam Jansen').getByRole('cell').first().innerText()).toBe('Box office');

    await press(admin.getByRole('button', { name: 'Change role of Ada Admin' }));
    const own = admin.getByRole('dialog', { name: 'Change role of Ada Admin' });
    await own.waitFor();
    await own.getByLabel('Role').selectOption('supervisor');
    await own.getByRole('button', { name: 'Save role' }).focus();
    await admin.keyboard.press('Enter');
    const roleError = own.locator('.field').filter({ has: admin.getByLabel('Role') }).getByRole('alert');
    await poll(() => roleError.textContent()).toBe('Ada Admin is the last admin: make another operator an admin before giving them another role');
    await saveScreenshot(admin, 'operators-screen-last-admin');
    await admin.keyboard.press('Escape');
    await own.waitFor({ state: 'detached' });
    expect(await row('Ada Admin').getByRole('cell').first().innerText()).toBe('Admin');
  });

  it('resets a PIN: the operator signs in with the new one', async () => {
    await press(admin.getByRole('button', { name: 'Reset the PIN of Sam Jansen' }));
    const dialog = admin.getByRole('dialog', { name: 'Reset the PIN of Sam Jansen' });
    await dialog.waitFor();
    await admin.keyboard.type('9090');
    await admin.keyboard.press('Tab');
    await admin.keyboard.type('9090');
    await admin.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await admin.getByRole('status').filter({ hasText: 'New PIN set for Sam Jansen' }).waitFor();
  });

  it('hides the screen from a box-office operator, who is sent to a screen of theirs', async () => {
    const page = await browser!.newPage({ viewport });
    try {
      await page.goto(`${server!.url}#/operators`);
      await signIn(page, 'Bea Box', '2222');
      await page.getByLabel('Signed in as Bea Box, box office').waitFor();
      expect(await navLinks(page)).toEqual(['Customers', 'Check-in', 'Wristband activation', 'Sync']);
      await poll(() => new URL(page.url()).hash).toBe('#/customers');
      expect(await page.getByRole('heading', { name: 'Operators' }).count()).toBe(0);
    } finally {
      await page.close();
    }
  });

  it('removes an operator after a confirmation; their window is signed out at its next action', async () => {
    const sam = await browser!.newPage({ viewport });
    try {
      await sam.goto(`${server!.url}#/customers`);
      await signIn(sam, 'Sam Jansen', '9090');
      await sam.getByLabel('Signed in as Sam Jansen, box office').waitFor();

      await saveScreenshot(admin, 'operators-screen');
      await press(admin.getByRole('button', { name: 'Remove Sam Jansen' }));
      const dialog = admin.getByRole('dialog', { name: 'Remove Sam Jansen?' });
      await dialog.waitFor();
      // Enter at once would keep them: the focus is on the safe choice.
      expect(await dialog.getByRole('button', { name: 'Keep Sam Jansen' }).evaluate((button) => button === (globalThis as unknown as PageGlobals).document.activeElement)).toBe(true);
      await saveScreenshot(admin, 'operators-screen-remove-confirmation');
      await admin.keyboard.press('Tab');
      await admin.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await admin.getByRole('status').filter({ hasText: 'Removed Sam Jansen' }).waitFor();
      await poll(async () => Promise.all(await rows())).toEqual([
        ['Ada Admin you', 'Admin'],
        ['Bea Box', 'Box office'],
      ]);

      // Sam's window acts (a search) and is sent back to sign in, told why; Sam's PIN no longer works.
      await sam.getByRole('searchbox', { name: 'Search customers' }).fill('anna');
      await sam.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
      await sam.getByRole('alert').filter({ hasText: 'You were signed out: an admin removed this operator' }).waitFor();
      await saveScreenshot(sam, 'operators-screen-removed-signed-out');
      await signIn(sam, 'Sam Jansen', '9090');
      await sam.getByRole('alert').filter({ hasText: 'Wrong name or PIN' }).waitFor();
    } finally {
      await sam.close();
    }
  });
});
