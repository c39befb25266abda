/**
 * Issue 13, the pieces below the CLI: the one display-escaping function, overlap detection, the strict ISO time
 * parser, the import line reader (linear, capped), the progress bar, URL masking, malformed nested signatures,
 * and one fact reported once (PE_CHECKSUM_MISMATCH / ABS-FP-011).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { escapeForDisplay } from '../../src/binary/index.ts';
import { readLines } from '../../src/cli/commands/data-command.ts';
import { createProgress } from '../../src/cli/progress.ts';
import { overlappingRanges } from '../../src/containers/common.ts';
import { malformedNestedFindings } from '../../src/core/audit-artifact.ts';
import type { ArtifactReport, SignatureReport } from '../../src/core/audit.types.ts';
import { parseISOTime } from '../../src/core/iso-time.ts';
import { applyLint, EMPTY_LINT_CONFIG, type LintableArtifact } from '../../src/core/lint/index.ts';
import { isReleaseError } from '../../src/core/releases/errors.ts';
import { sanitizeMemberName } from '../../src/formats/container/member-name.ts';
import { redactURL, withExplicitSslMode } from '../../src/store/postgres.ts';
import { factsFor, lintFixtures, parameters } from './lint/helpers.ts';

describe('escapeForDisplay', () => {
  it('escapes C0/C1 controls, DEL and bidi controls; keeps backslashes, so escaping twice changes nothing', () => {
    const raw = '\u001b[2J\u001b]0;t\u0007a\nb\tc\u007f\u0085\u202etxt.exe\\x41';
    const once = escapeForDisplay(raw);
    assert.equal(once, '\\x1b[2J\\x1b]0;t\\x07a\\x0ab\\x09c\\x7f\\x85\\u{202e}txt.exe\\x41');
    assert.equal(escapeForDisplay(once), once);
    assert.equal(escapeForDisplay('x'.repeat(10), 4), 'xxxx…');
  });

  it('is what container member names use (one mechanism)', () => {
    assert.equal(sanitizeMemberName('a\u001bb'), escapeForDisplay('a\u001bb'));
  });
});

describe('overlappingRanges', () => {
  it('finds every member whose data starts inside an earlier one, in O(n log n), whatever the listing order', () => {
    assert.deepEqual([...overlappingRanges([[0, 10], [10, 20], [20, 30]])], []);
    assert.deepEqual([...overlappingRanges([[0, 100], [0, 100], [50, 60], [100, 110]])], [[1, 0], [2, 0]]);
    assert.deepEqual([...overlappingRanges([[50, 60], [0, 100], undefined, [5, 5]])], [[0, 1]]);
  });
});

describe('parseISOTime', () => {
  it('accepts ISO 8601 dates and date-times with a zone, and nothing else', () => {
    assert.equal(parseISOTime('2024-02-29')?.toISOString(), '2024-02-29T00:00:00.000Z');
    assert.equal(parseISOTime('2026-06-01T12:30:00+02:00')?.toISOString(), '2026-06-01T10:30:00.000Z');
    assert.equal(parseISOTime('2026-06-01T12:30Z')?.toISOString(), '2026-06-01T12:30:00.000Z');
    for (const bad of ['1', '2024-02-30', '2023-02-29', '2026-13-01', '2026-06-01T24:00:00Z', '2026-06-01T12:00:00', 'now', '']) assert.equal(parseISOTime(bad), undefined, bad);
  });
});

function chunks(parts: readonly string[]): AsyncIterable<string> {
  return Readable.from(parts) as AsyncIterable<string>;
}

async function collect(gen: AsyncGenerator<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of gen) out.push(line);
  return out;
}

describe('import line reader', () => {
  it('splits lines across chunks (CRLF too) and keeps a last line without newline', async () => {
    assert.deepEqual(await collect(readLines(chunks(['a', 'b\r\nc', 'd\n', '\ne', 'f']))), ['ab', 'cd', '', 'ef']);
  });

  it('a 32 MB line in 64 KB chunks is read once and joined once (under a 64 Mi cap)', async () => {
    const piece = 'x'.repeat(64 * 1024);
    const lines = await collect(readLines(chunks([...Array.from({ length: 512 }, () => piece), '\n']), 64 * 1024 * 1024));
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.length, 512 * piece.length);
  });

  it('a line past the cap is IMPORT_INVALID, before the rest is read', async () => {
    let pulled = 0;
    function* endless(): Generator<string> {
      for (;;) {
        pulled++;
        yield 'y'.repeat(1000);
      }
    }
    await assert.rejects(collect(readLines(Readable.from(endless(), { highWaterMark: 1 }) as AsyncIterable<string>, 10_000)), (e) => isReleaseError(e, 'IMPORT_INVALID') && /line 1: longer than 10000/.test(e.message));
    // 11 chunks pass the cap; the stream reads a little ahead, never the endless rest.
    assert.ok(pulled <= 20, `${pulled} chunks read`);
  });
});

describe('progress bar', () => {
  it('draws a file name escaped: no cursor movement, screen clearing or title change from a name', () => {
    let written = '';
    const stream = { isTTY: true, columns: 200, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const progress = createProgress(stream, true);
    progress.start(1, 'auditing');
    progress.tick('\u001b[2J\u001b]0;owned\u0007evil\n.exe');
    progress.stop();
    // Only the bar's own "\r ESC[2K" line resets remain.
    assert.equal(written.split('\r\u001b[2K').join('').includes('\u001b'), false);
    assert.match(written, /\\x1b\[2J\\x1b\]0;owned\\x07evil\\x0a\.exe/);
  });
});

describe('store URLs', () => {
  it('masks the user-info password and secret query parameters', () => {
    const shown = redactURL('postgres://u:p1@h:5432/db?password=p2&sslpassword=p3&application_name=absolve');
    assert.doesNotMatch(shown, /p1|p2|p3/);
    assert.match(shown, /application_name=absolve/);
    assert.doesNotMatch(redactURL('postgres://u@[bad/db?password=p4'), /p4/);
  });

  it("asks pg for verify-full where its sslmode aliases mean that (no warning on stderr); libpq compat is left alone", () => {
    assert.match(withExplicitSslMode('postgres://h/db?sslmode=require'), /sslmode=verify-full/);
    assert.match(withExplicitSslMode('postgres://h/db?sslmode=require&uselibpqcompat=true'), /sslmode=require/);
    assert.equal(withExplicitSslMode('postgres://h/db'), 'postgres://h/db');
  });
});

describe('findings', () => {
  const signature = (status: SignatureReport['status'], nested: SignatureReport[] = []): SignatureReport => ({ status, reason: `${status} reason`, reasonCode: status, digestAlgorithm: null, signer: null, timestamp: null, nested });

  it('a malformed nested signature gets SIGNATURE_NESTED_MALFORMED, at any depth', () => {
    assert.deepEqual(malformedNestedFindings(signature('valid', [signature('valid')])), []);
    const found = malformedNestedFindings(signature('valid', [signature('valid', [signature('malformed')]), signature('malformed')]));
    assert.deepEqual(found.map((f) => [f.id, f.message.split(':')[0]]), [
      ['SIGNATURE_NESTED_MALFORMED', 'nested signature #1.1 is malformed'],
      ['SIGNATURE_NESTED_MALFORMED', 'nested signature #2 is malformed'],
    ]);
  });

  it('a stale PE checksum is reported once: by ABS-FP-011 when it runs, by PE_CHECKSUM_MISMATCH when it is off', async () => {
    const facts = await factsFor(join(lintFixtures, 'checksum-bad-x64.exe'));
    const artifact: LintableArtifact = {
      path: facts.path,
      size: 1,
      sha256: '',
      hashes: {},
      format: 'pe',
      pe: null,
      signature: signature('unsigned'),
      findings: [{ id: 'PE_CHECKSUM_MISMATCH', severity: 'warning', message: 'stored PE checksum differs' }],
      error: null,
      lintFacts: facts,
    };
    const ids = (config: typeof EMPTY_LINT_CONFIG): string[] => (applyLint([artifact], { config, parameters: parameters() })[0] as ArtifactReport).findings.map((f) => f.id).filter((id) => id.includes('CHECKSUM') || id === 'ABS-FP-011');
    assert.deepEqual(ids(EMPTY_LINT_CONFIG), ['ABS-FP-011']);
    assert.deepEqual(ids({ ...EMPTY_LINT_CONFIG, rules: { 'ABS-FP-011': 'off' } }), ['PE_CHECKSUM_MISMATCH']);
  });
});
