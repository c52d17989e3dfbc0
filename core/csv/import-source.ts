import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { parse, type Info, type Parser } from 'csv-parse';
import { DomainError, invalid } from '../errors.ts';
import { detectDelimiter, type Delimiter } from './delimiter.ts';

/** One data record of the file, numbered as a spreadsheet shows it (header = row 1). */
export type SourceRecord = { row: number; cells: string[] } | { row: number; error: string };

export interface ImportFile {
  header: string[];
  delimiter: Delimiter;
  /** Size of the source (bytes of a file, characters of a text), for progress. */
  sizeTotal: number;
  /** How much of the source has been read so far, in the same unit. */
  sizeRead(): number;
  /** The data records after the header, in runs as parsed; a malformed stretch ends them with an error record. */
  records(): AsyncGenerator<SourceRecord[]>;
  close(): void;
}

/** Enough of a file to find its header line; past this the file is not a CSV we can read. */
const headerProbeLimit = 1024 * 1024;
const textChunkLength = 64 * 1024;
/** Characters in one record; a customer row is a few hundred. */
const maxRecordSize = 1024 * 1024;

interface ParsedItem {
  record: string[];
  info: Info;
}

/**
 * Opens an import source as a stream of records: the file is read through csv-parse in chunks,
 * never loaded whole. The header line is probed first to choose the delimiter. Anything that makes
 * the file unreadable before the first data row (missing, a folder, empty, UTF-16, malformed
 * header) is a VALIDATION error on `source`, thrown before any row is handled.
 */
export async function openImportFile(source: { path: string } | { text: string }): Promise<ImportFile> {
  let sizeTotal: number;
  let chunks: AsyncIterator<Buffer | string>;
  let closeSource: () => void;
  if ('path' in source) {
    const info = await stat(source.path).catch((error: NodeJS.ErrnoException) => {
      throw invalid(
        error.code === 'ENOENT' ? `There is no file at ${source.path}` : `Cannot read ${source.path}: ${error.message}`,
        'source',
      );
    });
    if (!info.isFile()) throw invalid(`${source.path} is not a file`, 'source');
    sizeTotal = info.size;
    const stream = createReadStream(source.path);
    chunks = stream[Symbol.asyncIterator]();
    closeSource = () => stream.destroy();
  } else {
    sizeTotal = source.text.length;
    chunks = sliceText(source.text);
    closeSource = () => undefined;
  }

  let sizeRead = 0;
  const head: (Buffer | string)[] = [];
  let headText = '';
  let ended = false;
  try {
    while (headerLineEnd(headText) < 0 && headText.length < headerProbeLimit) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      head.push(next.value);
      sizeRead += next.value.length;
      headText += typeof next.value === 'string' ? next.value : next.value.toString('utf8');
    }
  } catch (error) {
    closeSource();
    throw invalid(`Cannot read the file: ${(error as Error).message}`, 'source');
  }
  const first = head[0];
  if (first !== undefined && typeof first !== 'string' && isUtf16(first)) {
    closeSource();
    throw invalid('The file is UTF-16 text: save it as "CSV UTF-8" and import it again', 'source');
  }
  const delimiter = detectDelimiter(headText.replace(/^\uFEFF/, ''));

  async function* replay(): AsyncGenerator<Buffer | string> {
    yield* head;
    if (ended) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      sizeRead += next.value.length;
      yield next.value;
    }
  }

  // The first malformed stretch (e.g. a quote never closed). csv-parse reports it through on_skip,
  // in order, after pushing every record before it; a thrown parse error would instead drop the
  // records still buffered. What the parser makes of the text after it is not trusted.
  let failure: { records: number; row: number; message: string } | undefined;
  const parser: Parser = parse({
    delimiter,
    bom: true,
    info: true,
    // Wrong field counts become rejected rows (checked by the caller), not a fatal error.
    relax_column_count: true,
    // A quote inside an unquoted cell (`5" screen`) is text, as spreadsheets treat it.
    relax_quotes: true,
    skip_empty_lines: true,
    // A runaway record (an unclosed quote, a binary file) stops here instead of filling memory.
    max_record_size: maxRecordSize,
    skip_records_with_error: true,
    on_skip: (error) => {
      failure ??= {
        records: parser.info.records,
        row: parser.info.records + parser.info.empty_lines + 1,
        message: error?.message ?? 'malformed CSV',
      };
      return undefined;
    },
  });
  const input = Readable.from(replay());
  pipeline(input, parser, () => {
    // Errors reach the reader through the 'error' listener below; nothing more to do here.
  });
  const close = () => {
    input.destroy();
    parser.destroy();
    closeSource();
  };

  // Records are taken from the parser a buffer-full at a time rather than one promise per record:
  // at 100,000 rows the per-record await was a measurable share of the import.
  let parserEnded = false;
  let parserError: Error | undefined;
  let wake: (() => void) | undefined;
  const wakeReader = () => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };
  parser.on('readable', wakeReader);
  parser.on('end', () => {
    parserEnded = true;
    wakeReader();
  });
  parser.on('error', (error: Error) => {
    parserError = error;
    wakeReader();
  });
  /** The records parsed so far (waiting for some if there are none yet), or null at the end. */
  async function take(): Promise<ParsedItem[] | null> {
    for (;;) {
      const items: ParsedItem[] = [];
      for (let item = parser.read() as ParsedItem | null; item !== null; item = parser.read() as ParsedItem | null) {
        items.push(item);
      }
      if (items.length > 0) return items;
      if (parserError) throw parserError;
      if (parserEnded || parser.destroyed) return null;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }

  let header: string[];
  let pending: ParsedItem[] = [];
  try {
    const first = await take();
    if (failure?.records === 0) throw invalid(`The header row is not valid CSV: ${failure.message}`, 'source');
    if (first === null) throw invalid('The file is empty: it has no header row', 'source');
    header = first[0]!.record.map((name) => name.trim());
    pending = first.slice(1);
  } catch (error) {
    close();
    if (error instanceof DomainError) throw error;
    throw invalid(`Cannot read the file: ${(error as Error).message}`, 'source');
  }

  async function* records(): AsyncGenerator<SourceRecord[]> {
    let lastRow = 1;
    try {
      for (let items: ParsedItem[] | null = pending; items !== null; items = await take()) {
        const batch: SourceRecord[] = [];
        for (const { info, record } of items) {
          if (failure && info.records > failure.records) break;
          // Spreadsheets show every line, blank ones included, but a quoted line break stays in its row.
          lastRow = info.records + info.empty_lines;
          batch.push({ row: lastRow, cells: record });
        }
        if (batch.length > 0) yield batch;
        if (failure && items.length > batch.length) break;
      }
    } catch (error) {
      yield [{ row: lastRow + 1, error: `reading the file failed (${(error as Error).message}); the rest of the file was not read` }];
      return;
    }
    if (failure) {
      yield [{ row: failure.row, error: `the file is not valid CSV from here on (${failure.message}); the rest of the file was not read` }];
    }
  }

  return { header, delimiter, sizeTotal, sizeRead: () => sizeRead, records, close };
}

/**
 * The first place the file stops being valid CSV (an unclosed quote, a runaway record), or
 * undefined for a sound file: read through the same reader as the import, writing nothing.
 */
export async function malformedRow(source: { path: string } | { text: string }): Promise<{ row: number; error: string } | undefined> {
  const file = await openImportFile(source);
  try {
    for await (const records of file.records()) {
      for (const record of records) if ('error' in record) return record;
    }
    return undefined;
  } finally {
    file.close();
  }
}

/** Text already in memory is still fed to the parser in slices, so it parses (and reports progress) like a file. */
async function* sliceText(text: string): AsyncGenerator<string> {
  for (let start = 0; start < text.length; start += textChunkLength) yield text.slice(start, start + textChunkLength);
}

/** Index of the first line break outside quotes, or -1. */
function headerLineEnd(text: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) return index;
  }
  return -1;
}

function isUtf16(bytes: Buffer): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}
