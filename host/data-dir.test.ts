import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appDataDir, ensureDataDir, resolveDataDir, resolveDemoDataDir, storeFile } from './data-dir.ts';

const home = '/home/anna';

describe('resolveDataDir', () => {
  it('prefers --data-dir, then BOX_OFFICE_DATA_DIR, then the app-data folder', () => {
    const env = { BOX_OFFICE_DATA_DIR: '/srv/box-office' };
    expect(resolveDataDir({ flag: 'here', env, platform: 'linux', home })).toBe(resolve('here'));
    expect(resolveDataDir({ env, platform: 'linux', home })).toBe('/srv/box-office');
    expect(resolveDataDir({ env: {}, platform: 'linux', home })).toBe('/home/anna/.config/Box Office');
  });

  it("follows Electron's userData folder on each platform", () => {
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/home/anna/.cfg' }, platform: 'linux', home })).toBe('/home/anna/.cfg/Box Office');
    expect(resolveDataDir({ env: {}, platform: 'darwin', home })).toBe('/home/anna/Library/Application Support/Box Office');
    expect(appDataDir('win32', { APPDATA: 'C:\\Users\\anna\\AppData\\Roaming' }, 'C:\\Users\\anna')).toBe('C:\\Users\\anna\\AppData\\Roaming');
    expect(appDataDir('win32', {}, home)).toBe(join(home, 'AppData', 'Roaming'));
  });
});

describe('resolveDemoDataDir', () => {
  it('keeps the demo in its own folder beside the real one, whatever the real one is set to', () => {
    const env = { BOX_OFFICE_DATA_DIR: '/srv/box-office' };
    expect(resolveDemoDataDir({ env, platform: 'linux', home })).toBe('/home/anna/.config/Box Office Demo');
    expect(resolveDemoDataDir({ env: {}, platform: 'darwin', home })).toBe('/home/anna/Library/Application Support/Box Office Demo');
    expect(resolveDemoDataDir({ env: { BOX_OFFICE_DEMO_DATA_DIR: 'demo' }, platform: 'linux', home })).toBe(resolve('demo'));
    expect(resolveDemoDataDir({ env, platform: 'linux', home })).not.toBe(resolveDataDir({ env: {}, platform: 'linux', home }));
  });
});

describe('ensureDataDir', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the folder and its parents when missing', () => {
    dir = mkdtempSync(join(tmpdir(), 'box-office-dir-'));
    const nested = join(dir, 'a', 'b');
    expect(ensureDataDir(nested)).toBe(nested);
    expect(existsSync(nested)).toBe(true);
    expect(storeFile(nested)).toBe(join(nested, 'box-office.sqlite'));
    // A second call on an existing folder is fine.
    expect(ensureDataDir(nested)).toBe(nested);
  });
});
