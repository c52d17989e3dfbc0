import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.ts';

/** `<dir>/logs/box-office-YYYY-MM-DD.log` (UTC date, like every timestamp in the store). */
export function logFileFor(dataDir: string, at: Date): string {
  return join(dataDir, 'logs', `box-office-${at.toISOString().slice(0, 10)}.log`);
}

export interface DailyLogStream {
  write(line: string): void;
  /** The file today's lines go to. */
  currentFile(): string;
  close(): void;
}

/**
 * A pino destination that writes one file per day and moves to the next file when the date
 * changes (a desktop app runs for days). Writes are synchronous: log lines are few (no per-row
 * logging), and a CLI that exits right after an error must not lose the line explaining it.
 */
export function dailyLogStream(dataDir: string, clock: Clock): DailyLogStream {
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  let file = '';
  let fd: number | null = null;
  const open = () => {
    const wanted = logFileFor(dataDir, clock.now());
    if (wanted !== file || fd === null) {
      if (fd !== null) closeSync(fd);
      file = wanted;
      fd = openSync(file, 'a');
    }
    return fd;
  };
  return {
    write(line) {
      writeSync(open(), line);
    },
    currentFile() {
      return fd === null ? logFileFor(dataDir, clock.now()) : file;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
