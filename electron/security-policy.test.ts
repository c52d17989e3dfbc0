import { describe, expect, it } from 'vitest';
import { isNavigationAllowed, isTrustedSender, parseWindowState } from './security-policy.ts';

const entry = 'file:///opt/Box%20Office/resources/app.asar/dist/renderer/index.html';

describe('isTrustedSender', () => {
  it('accepts the app entry page in the main frame', () => {
    expect(isTrustedSender({ url: `${entry}#/customers`, parent: null }, entry)).toBe(true);
  });
  it('refuses subframes, other files, other schemes and missing frames', () => {
    expect(isTrustedSender({ url: entry, parent: {} }, entry)).toBe(false);
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', parent: null }, entry)).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null }, entry)).toBe(false);
    expect(isTrustedSender({ url: 'data:text/html,<script>', parent: null }, entry)).toBe(false);
    expect(isTrustedSender(null, entry)).toBe(false);
    expect(isTrustedSender({ url: 'not a url', parent: null }, entry)).toBe(false);
  });
  it('accepts the dev server origin only when that is the entry', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/x', parent: null }, 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5174/', parent: null }, 'http://localhost:5173/')).toBe(false);
  });
});

describe('isNavigationAllowed', () => {
  it('allows only reloading the same document', () => {
    expect(isNavigationAllowed(entry, entry)).toBe(true);
    expect(isNavigationAllowed('https://evil.example/', entry)).toBe(false);
    expect(isNavigationAllowed('file:///etc/passwd', entry)).toBe(false);
    expect(isNavigationAllowed('::', entry)).toBe(false);
  });
});

describe('parseWindowState', () => {
  it('restores a saved state and refuses implausible values', () => {
    expect(parseWindowState('{"x":10,"y":20,"width":1000,"height":700,"maximized":true}')).toEqual({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
      maximized: true,
    });
    expect(parseWindowState('{"width":10,"height":"big","x":1e9}')).toEqual({ width: 1280, height: 800, maximized: false });
    expect(parseWindowState('garbage')).toEqual({ width: 1280, height: 800, maximized: false });
    expect(parseWindowState(undefined)).toEqual({ width: 1280, height: 800, maximized: false });
  });
});
