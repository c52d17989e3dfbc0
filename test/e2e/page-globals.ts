/**
 * The few browser globals that functions run inside the page (page.evaluate) use. The Node-side
 * tsconfig has no DOM library, and adding one would let host code use `window` unnoticed, so the
 * in-page functions read these through `globalThis as unknown as PageGlobals` instead.
 */
export interface PageElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  /** Present on inputs. */
  value?: string;
  textContent?: string | null;
}

export interface PageEvent {
  key?: string;
  target: unknown;
}

export interface PageMutationObserver {
  observe(target: PageElement, options: { childList?: boolean; subtree?: boolean; attributes?: boolean; attributeFilter?: string[]; characterData?: boolean }): void;
  disconnect(): void;
}

export interface PageGlobals {
  document: {
    documentElement: PageElement & { scrollHeight: number; dataset: Record<string, string | undefined> };
    body: PageElement;
    activeElement: PageElement | null;
    querySelector(selector: string): PageElement | null;
    getElementById(id: string): PageElement | null;
    addEventListener(type: string, listener: (event: PageEvent) => void, options?: { capture?: boolean; once?: boolean }): void;
    removeEventListener(type: string, listener: (event: PageEvent) => void, options?: { capture?: boolean }): void;
  };
  location: { hash: string };
  scrollTo(x: number, y: number): void;
  requestAnimationFrame(callback: () => void): number;
  MutationObserver: new (callback: () => void) => PageMutationObserver;
  MessageChannel: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(message: unknown): void } };
  performance: { now(): number };
  /** Where an armed measurement leaves its promise for the next page.evaluate to await. */
  uiMeasurement?: Promise<number>;
  /** Every text the sync indicator showed since a test started recording it. */
  syncIndicatorTexts?: string[];
}
