import type { SnapshotRequest } from '../../sync/protocol.ts';
import type { Device } from '../devices/enrolment.ts';
import type { EncodedSnapshotPage } from './snapshot.ts';

/**
 * A first load asks for its pages one after the other: each request names the key the page before
 * ended at, so a terminal has one page in flight, and without help the server's database sits idle
 * while the terminal inserts a page, and the terminal waits while the database reads the next (about
 * half of a full-scale load's time on one machine). Having answered a page, the server therefore
 * reads the one its `next` names at once, and answers the request for it from that read.
 *
 * This is a cache of at most one page per loading device, and changes nothing in the protocol:
 * a page read ahead is the page the request would have read a little earlier. Should one of its
 * rows change in between, that row's new version is above V, and the pull from V that follows the
 * load brings it, as it brings every row changed during a load. Any server process still answers
 * any request alone (one that did not read ahead reads the page then); a read ahead that failed is
 * read again when asked for; a page left unasked for goes after `keepMs`.
 */

export interface ReadAheadOptions {
  /** How long a page read ahead is kept for its request. */
  keepMs: number;
  /** Pages kept at most, over every device (the oldest goes first): bounds the memory. */
  pages: number;
  /** Monotonic milliseconds. */
  now(): number;
}

const defaults: ReadAheadOptions = { keepMs: 60_000, pages: 16, now: () => performance.now() };

type ReadPage = (device: Device, request: SnapshotRequest) => Promise<EncodedSnapshotPage>;

export class SnapshotReadAhead {
  readonly #read: ReadPage;
  readonly #options: ReadAheadOptions;
  /** Pages read ahead by request, oldest first (a Map keeps insertion order). */
  readonly #pages = new Map<string, { readAt: number; page: Promise<EncodedSnapshotPage> }>();

  constructor(read: ReadPage, options: Partial<ReadAheadOptions> = {}) {
    this.#read = read;
    this.#options = { ...defaults, ...options };
  }

  /** Pages kept now (for tests). */
  get size(): number {
    return this.#pages.size;
  }

  /** The page the request asks for (read ahead, or read now), and the read of the page after it begun. */
  async page(device: Device, request: SnapshotRequest): Promise<EncodedSnapshotPage> {
    const key = keyOf(device, request);
    const ahead = this.#pages.get(key);
    this.#pages.delete(key);
    const fresh = ahead !== undefined && this.#options.now() - ahead.readAt <= this.#options.keepMs;
    const page = (fresh ? await ahead.page.catch(() => undefined) : undefined) ?? (await this.#read(device, request));
    this.#readNext(device, request.scope, page);
    return page;
  }

  #readNext(device: Device, scope: string, page: EncodedSnapshotPage): void {
    if (page.next === null) return;
    const next: SnapshotRequest = { scope, version: page.version, table: page.next.table, ...(page.next.after === null ? {} : { after: page.next.after }) };
    // One page ahead per device: a terminal that went elsewhere leaves nothing behind.
    for (const [key, kept] of this.#pages) {
      if (key.startsWith(`${device.id}\n`) || this.#options.now() - kept.readAt > this.#options.keepMs) this.#pages.delete(key);
    }
    while (this.#pages.size >= this.#options.pages) this.#pages.delete(this.#pages.keys().next().value!);
    const read = this.#read(device, next);
    // Its failure is the request's to meet (it reads again); until then it is nobody's.
    read.catch(() => {});
    this.#pages.set(keyOf(device, next), { readAt: this.#options.now(), page: read });
  }
}

/** A request as the device made it; the device's id in front (its role decides the page's columns). */
function keyOf(device: Device, request: SnapshotRequest): string {
  return [device.id, request.scope, request.version ?? '', request.table ?? '', request.after ?? ''].join('\n');
}
