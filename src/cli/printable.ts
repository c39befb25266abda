import { escapeForDisplay } from '../binary/index.ts';

/**
 * Multi-line text for the terminal with every line passed through escapeForDisplay: release paths, signer subjects
 * and finding messages come from files and certificates, and must not carry terminal controls or forge lines.
 */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeForDisplay(line))
    .join('\n');
}
