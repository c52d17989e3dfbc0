import type { CliIo } from './cli-command.ts';

/**
 * A progress line on stderr: rewritten in place on a terminal, otherwise printed at most every
 * couple of seconds (and always for the last update) so logs of piped runs stay short.
 */
export function progressLine(io: CliIo, intervalMs = 2000): { update(text: string, final?: boolean): void; end(): void } {
  const tty = io.stderr.isTTY === true;
  // Piped output starts printing only after the first interval: quick jobs print just the last line.
  let lastPrinted = Date.now();
  let shown = false;
  return {
    update(text, final = false) {
      const now = Date.now();
      if (tty) {
        io.stderr.write(`\r\x1b[2K${text}`);
        shown = true;
        if (final) {
          io.stderr.write('\n');
          shown = false;
        }
      } else if (final || now - lastPrinted >= intervalMs) {
        io.stderr.write(`${text}\n`);
        lastPrinted = now;
      }
    },
    end() {
      if (tty && shown) io.stderr.write('\n');
      shown = false;
    },
  };
}
