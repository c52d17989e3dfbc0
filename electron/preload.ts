/**
 * Preload (sandboxed, context-isolated): exposes exactly one object, `window.boxOffice`, typed
 * against the API contract. The renderer never sees ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BoxOfficeClient } from '../core/api/client.ts';
import type { CoreEvent, CoreEventListener } from '../core/api/pubsub.ts';
// Bundled into the single preload file (a sandboxed preload cannot load modules at run time).
import { eventChannel, invokeChannel } from './security-policy.ts';

let nextId = 1;

const boxOffice: BoxOfficeClient = {
  invoke: ((op: string, input: unknown) => ipcRenderer.invoke(invokeChannel, { id: nextId++, op, input })) as BoxOfficeClient['invoke'],
  subscribe(listener: CoreEventListener) {
    const handler = (_event: IpcRendererEvent, coreEvent: CoreEvent) => listener(coreEvent);
    ipcRenderer.on(eventChannel, handler);
    return () => {
      ipcRenderer.removeListener(eventChannel, handler);
    };
  },
};

contextBridge.exposeInMainWorld('boxOffice', boxOffice);
