/**
 * Electron main process: the thin desktop adapter. Everything it does is reachable without
 * Electron (the web host serves the same UI and core); this file only adds the window, the menu,
 * the single-instance lock and the IPC bridge, with Electron's security settings.
 */
import { app, BrowserWindow, ipcMain, Menu, session, shell, type WebContents } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CoreSession } from '../core/api/core.ts';
import { createHost } from '../host/host.ts';
import { invokeRemote, remoteRequestSchema } from '../host/remote-call.ts';
import {
  contentSecurityPolicy,
  eventChannel,
  invokeChannel,
  isNavigationAllowed,
  isTrustedSender,
  parseWindowState,
  type WindowState,
} from './security-policy.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
// Built layout: out/electron/main.js next to out/electron/preload.cjs; the renderer in dist/renderer.
const appRoot = path.resolve(here, '..', '..');
const rendererEntry = process.env.BOX_OFFICE_RENDERER_URL ?? pathToFileURL(path.join(appRoot, 'dist', 'renderer', 'index.html')).href;

app.setName('Box Office');

if (!app.requestSingleInstanceLock()) {
  // Two instances would be two writers on one store: hand over to the running one.
  app.quit();
} else {
  start();
}

function start(): void {
  let mainWindow: BrowserWindow | undefined;
  const windowStateFile = () => path.join(app.getPath('userData'), 'window-state.json');

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(url, contents.getURL())) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the outside world (help pages) open in the system browser, never in the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.whenReady().then(() => {
    const host = createHost({ dataDir: process.env.BOX_OFFICE_DATA_DIR ?? app.getPath('userData') });

    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
    });

    // Each window signs in for itself (DESIGN.md section 6a): one core session per web contents.
    const windowSessions = new Map<number, CoreSession>();
    const sessionOf = (contents: WebContents): CoreSession => {
      let windowSession = windowSessions.get(contents.id);
      if (!windowSession) {
        windowSession = host.core.openSession();
        windowSessions.set(contents.id, windowSession);
        contents.once('destroyed', () => windowSessions.delete(contents.id));
      }
      return windowSession;
    };

    ipcMain.handle(invokeChannel, async (event, request: unknown) => {
      if (!isTrustedSender(event.senderFrame, rendererEntry)) {
        return { ok: false, error: { code: 'FORBIDDEN', message: 'This page may not call Box Office' } };
      }
      const parsed = remoteRequestSchema.safeParse(request);
      if (!parsed.success) return { ok: false, error: { code: 'VALIDATION', message: 'A request must be {id, op, input}' } };
      return invokeRemote(sessionOf(event.sender), parsed.data.op, parsed.data.input);
    });

    const state = readWindowState(windowStateFile());
    mainWindow = new BrowserWindow({
      ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
      width: state.width,
      height: state.height,
      minWidth: 900,
      minHeight: 600,
      title: 'Box Office',
      backgroundColor: '#111418',
      show: false,
      webPreferences: {
        preload: path.join(here, 'preload.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    if (state.maximized) mainWindow.maximize();
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('close', () => saveWindowState(windowStateFile(), mainWindow));

    const unsubscribe = host.core.subscribe((coreEvent) => mainWindow?.webContents.send(eventChannel, coreEvent));
    host.startBackgroundCheckpoints();
    host.sync.start();
    void host.devices.startReaders();
    app.on('will-quit', () => {
      unsubscribe();
      host.close();
    });

    Menu.setApplicationMenu(buildMenu());
    void mainWindow.loadURL(rendererEntry);
  });

  app.on('window-all-closed', () => app.quit());
}

function readWindowState(file: string): WindowState {
  try {
    return parseWindowState(readFileSync(file, 'utf8'));
  } catch {
    return parseWindowState(undefined);
  }
}

function saveWindowState(file: string, window: BrowserWindow | undefined): void {
  if (!window) return;
  const bounds = window.getNormalBounds();
  const state: WindowState = { ...bounds, maximized: window.isMaximized() };
  try {
    writeFileSync(file, JSON.stringify(state));
  } catch {
    // A read-only profile folder only costs the window position.
  }
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  return Menu.buildFromTemplate([
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
  ]);
}
