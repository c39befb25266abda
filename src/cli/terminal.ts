/** What the CLI asks of the terminal: its width, and whether a write failed because the reader went away. */

/** The terminal's width for help and tables: $COLUMNS, else the TTY's, else 80. */
export function terminalWidth(stream: { columns?: number; isTTY?: boolean }): number {
  const fromEnv = Number(process.env.COLUMNS);
  if (process.env.COLUMNS !== undefined && Number.isSafeInteger(fromEnv) && fromEnv >= 20) return fromEnv;
  return stream.isTTY === true && stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80;
}

/** A closed stdout (`absolve … | head -1`): the reader has what it wanted, so the command ends quietly. */
export function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EPIPE';
}
