import type { Store } from '../../db/store.ts';
import { conflict, invalid, notFound } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ImportSource } from '../import/import.contract.ts';

/**
 * Files the user interface sends in chunks (import.upload) before previewing and importing them:
 * the web host caps a WebSocket message at 1 MiB, so a 60 MB customer list travels as many small
 * messages instead of one that the scan-deciding thread would have to parse whole. Kept in memory
 * per store, never on disk: a restart forgets them and the screen asks for the file again.
 */
interface Upload {
  chunks: string[];
  length: number;
}

/** Characters in one uploaded file: the same ceiling the screen applies to the file it reads. */
export const maxUploadLength = 64 * 1024 * 1024;
/** Uploads kept per store; choosing a new file in two windows is the most staff do at once. */
const keptUploads = 3;

const uploadsByStore = new WeakMap<Store, Map<string, Upload>>();

function uploads(store: Store): Map<string, Upload> {
  let map = uploadsByStore.get(store);
  if (!map) {
    map = new Map();
    uploadsByStore.set(store, map);
  }
  return map;
}

/**
 * Appends one chunk; without an uploadId it starts a new upload. `offset` is where the chunk
 * starts in the file, so a chunk sent twice or out of order is refused instead of garbling it.
 */
export function appendUploadChunk(
  store: Store,
  input: { uploadId?: string | undefined; offset: number; chunk: string },
): { uploadId: string; length: number } {
  const map = uploads(store);
  let uploadId = input.uploadId;
  let upload: Upload | undefined;
  if (uploadId === undefined) {
    if (input.offset !== 0) throw invalid('A new upload starts at offset 0', 'offset');
    uploadId = newId();
    upload = { chunks: [], length: 0 };
    map.set(uploadId, upload);
    // Oldest first (insertion order): a window that picked a file and left is the one forgotten.
    for (const id of map.keys()) if (map.size > keptUploads) map.delete(id);
  } else {
    upload = map.get(uploadId);
    if (!upload) throw notFound('The uploaded file is no longer here: choose the file again', 'uploadId');
  }
  if (input.offset !== upload.length) {
    throw conflict(`The upload continues at character ${upload.length}, not ${input.offset}: choose the file again`, 'offset');
  }
  if (upload.length + input.chunk.length > maxUploadLength) {
    map.delete(uploadId);
    throw invalid('The file is larger than 64 MB: import it with the box-office CLI instead', 'chunk');
  }
  upload.chunks.push(input.chunk);
  upload.length += input.chunk.length;
  return { uploadId, length: upload.length };
}

/** The whole text of an upload (joined once, then kept joined). */
export function uploadedText(store: Store, uploadId: string): string {
  const upload = uploads(store).get(uploadId);
  if (!upload) throw notFound('The uploaded file is no longer here: choose the file again', 'source');
  if (upload.chunks.length !== 1) upload.chunks = [upload.chunks.join('')];
  return upload.chunks[0] ?? '';
}

/** A source the reader can open: an upload becomes its text. */
export function resolveImportSource(store: Store, source: ImportSource): { path: string } | { text: string } {
  return 'uploadId' in source ? { text: uploadedText(store, source.uploadId) } : source;
}
