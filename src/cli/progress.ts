import { escapeForDisplay } from '../binary/index.ts';
import type { ProgressSink } from '../core/ports.ts';

/** A one-line progress bar on stderr, drawn only on a TTY (piped output stays clean). */
export function createProgress(stream: NodeJS.WriteStream, enabled: boolean): ProgressSink {
  if (!enabled || !stream.isTTY) return { start() {}, tick() {}, setTotal() {}, note() {}, stop() {} };
  let total = 0;
  let done = 0;
  let label = '';
  let lastDraw = 0;
  const draw = (detail: string, force = false): void => {
    const now = Date.now();
    if (!force && now - lastDraw < 80) return;
    lastDraw = now;
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const columns = stream.columns > 0 ? stream.columns : 80;
    // The detail is a file name: escaped, it cannot move the cursor, clear the screen or retitle the window.
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${escapeForDisplay(detail)}`;
    stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  };
  return {
    start(n, what) {
      total = n;
      done = 0;
      label = what;
      draw('', true);
    },
    tick(detail) {
      done++;
      draw(detail, done === total);
    },
    setTotal(n) {
      total = n;
      draw('');
    },
    note(text) {
      draw(text, true);
    },
    stop() {
      stream.write('\r\x1b[2K');
    },
  };
}
