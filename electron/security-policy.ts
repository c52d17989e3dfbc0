/**
 * The pure rules of the Electron adapter, kept free of `electron` imports so they are tested
 * under plain Node (electron/security-policy.test.ts).
 */

/** The IPC channel of the API: invoke-only, one channel for every operation. */
export const invokeChannel = 'box-office:invoke';
/** Main → renderer events (reader events, import progress...). */
export const eventChannel = 'box-office:event';

/**
 * Only the app's own top-level page may call the API: the frame's URL must be our entry file (or
 * the Vite dev server during development), never a navigated-to page, a subframe or a data: URL.
 */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined, appEntryUrl: string): boolean {
  // Electron's WebFrameMain: only the top frame has no parent.
  if (!frame || frame.parent !== null) return false;
  let sender: URL;
  let entry: URL;
  try {
    sender = new URL(frame.url);
    entry = new URL(appEntryUrl);
  } catch {
    return false;
  }
  if (sender.protocol !== entry.protocol) return false;
  if (entry.protocol === 'file:') return sender.pathname === entry.pathname;
  return sender.origin === entry.origin;
}

/** In-app navigation is never needed (the UI is a single page): every navigation is refused. */
export function isNavigationAllowed(targetUrl: string, currentUrl: string): boolean {
  try {
    const target = new URL(targetUrl);
    const current = new URL(currentUrl);
    // A reload of the same document is the only "navigation" allowed.
    return target.protocol === current.protocol && target.host === current.host && target.pathname === current.pathname;
  } catch {
    return false;
  }
}

/** The Content-Security-Policy of the desktop window. */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const defaultWindowState: WindowState = { width: 1280, height: 800, maximized: false };

/** Reads a saved window state, falling back to the default for anything missing or implausible. */
export function parseWindowState(text: string | undefined): WindowState {
  if (!text) return defaultWindowState;
  try {
    const value = JSON.parse(text) as Partial<WindowState>;
    const size = (n: unknown, min: number) => (typeof n === 'number' && Number.isFinite(n) && n >= min && n <= 10000 ? Math.round(n) : undefined);
    const width = size(value.width, 640) ?? defaultWindowState.width;
    const height = size(value.height, 480) ?? defaultWindowState.height;
    const position = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= 20000 ? Math.round(n) : undefined);
    const x = position(value.x);
    const y = position(value.y);
    return {
      ...(x !== undefined && y !== undefined ? { x, y } : {}),
      width,
      height,
      maximized: value.maximized === true,
    };
  } catch {
    return defaultWindowState;
  }
}
