/**
 * What ClamAV answers, as plain parsing (no I/O): clamd's replies (`stream: NAME FOUND`,
 * `stream: OK`, `… ERROR`; clamd(8) "COMMANDS"), the version string
 * (`ClamAV 1.4.6/27000/Fri Dec  4 09:00:00 2026`: engine / daily database version / database
 * build time, as clamd's VERSION and `clamscan --version` print it), and clamscan's per-file lines
 * (`<path>: NAME FOUND`, `<path>: OK`).
 */
import { MAX_DETECTION_NAME_CHARS, oneLine } from '../local/one-line.ts';

export type ClamavScanReply =
  | { kind: 'clean' }
  | { kind: 'found'; name: string }
  | { kind: 'error'; message: string; sizeLimit: boolean };

/** Longest reply read from clamd; a real one is a line of a few dozen bytes. */
export const MAX_CLAMD_REPLY_BYTES = 4096;

// With ExtendedDetectionInfo clamd appends "(md5:size)" to the name; the name is what matters.
const EXTENDED_INFO = /\([0-9a-f]{32}:\d+\)$/;

/** Parses the reply to INSTREAM (its first NUL- or newline-terminated line). */
export function parseClamdScanReply(reply: string): ClamavScanReply {
  const line = reply.split(/[\0\n]/, 1)[0]?.trim() ?? '';
  if (line === 'stream: OK') return { kind: 'clean' };
  if (line.startsWith('stream: ') && line.endsWith(' FOUND')) {
    const name = line.slice('stream: '.length, -' FOUND'.length).replace(EXTENDED_INFO, '').trim();
    if (name !== '') return { kind: 'found', name: oneLine(name, MAX_DETECTION_NAME_CHARS) };
  }
  if (line.endsWith(' ERROR')) {
    const message = oneLine(line.slice(0, -' ERROR'.length).replace(/^stream: /, '').replace(/[.\s]+$/, ''));
    // clamd.conf StreamMaxLength (default 25 MB) caps an INSTREAM: "INSTREAM size limit exceeded. ERROR".
    return { kind: 'error', message, sizeLimit: /size limit exceeded/i.test(message) };
  }
  return { kind: 'error', message: `unexpected clamd reply: ${oneLine(line === '' ? '(empty)' : line, 120)}`, sizeLimit: false };
}

export interface ClamavVersion {
  /** The engine version (`1.4.6`), with the daily database version when known (`1.4.6/27000`). */
  engineVersion: string;
  /**
   * The database build time as ISO 8601 without an offset (`2026-12-04T09:00:00`): ClamAV prints
   * it in the scanner host's local time without a zone, so no offset is invented. Null when the
   * databases carry no version (custom databases only).
   */
  definitionsDate: string | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// ctime(3) format: "Fri Dec  4 09:00:00 2026".
const CTIME = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function ctimeToIso(text: string): string | null {
  const m = CTIME.exec(text.trim());
  if (m === null) return null;
  const month = MONTHS.indexOf(m[1] ?? '');
  if (month < 0) return null;
  const pad = (s: string | undefined): string => (s ?? '').padStart(2, '0');
  return `${m[6]}-${pad(String(month + 1))}-${pad(m[2])}T${pad(m[3])}:${pad(m[4])}:${pad(m[5])}`;
}

/** Parses `ClamAV 1.4.6` or `ClamAV 1.4.6/27000/Fri Dec  4 09:00:00 2026`; null when it is not a ClamAV version. */
export function parseClamavVersion(text: string): ClamavVersion | null {
  const line = text.split(/[\0\n]/, 1)[0]?.trim() ?? '';
  const m = /^ClamAV ([0-9][0-9A-Za-z.+~-]{0,40})(?:\/(\d{1,10})\/(.{1,60}))?$/.exec(line);
  if (m === null || m[1] === undefined) return null;
  if (m[2] === undefined) return { engineVersion: m[1], definitionsDate: null };
  return { engineVersion: `${m[1]}/${m[2]}`, definitionsDate: ctimeToIso(m[3] ?? '') ?? oneLine(m[3] ?? '', 60) };
}

/**
 * Reads clamscan's result for one file from its stdout (`--no-summary`): the line that starts
 * with exactly that path. Null when no such line is there.
 */
export function parseClamscanLine(stdout: string, path: string): ClamavScanReply | null {
  const prefix = `${path}: `;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith(prefix)) continue;
    const rest = line.slice(prefix.length).trim();
    if (rest === 'OK') return { kind: 'clean' };
    if (rest.endsWith(' FOUND')) {
      const name = rest.slice(0, -' FOUND'.length).trim();
      if (name !== '') return { kind: 'found', name: oneLine(name, MAX_DETECTION_NAME_CHARS) };
    }
    if (rest.endsWith(' ERROR')) return { kind: 'error', message: oneLine(rest.slice(0, -' ERROR'.length)), sizeLimit: false };
  }
  return null;
}
