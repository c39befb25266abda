import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseEvent, CaseRecord } from '../../../src/core/cases/case.types.ts';
import { EMPTY_CASE_SETTINGS, parseCaseSettings } from '../../../src/core/cases/settings.ts';
import { planSubmission, renderFieldSheet, stableMessageId, type PlanInput } from '../../../src/core/cases/submission-plan.ts';
import { vendorStats } from '../../../src/core/cases/vendor-stats.ts';
import type { ReleaseHeader } from '../../../src/core/releases/release.types.ts';
import { buildVendorDirectory } from '../../../src/core/vendors/index.ts';

const directory = buildVendorDirectory();
const header = { product: 'Contoso App', version: '2.0', contentSha256: 'e'.repeat(64) } as ReleaseHeader;

function fpCase(id: number, vendor: string, sha256: string): CaseRecord {
  return {
    id,
    kind: 'false-positive',
    vendor,
    subject: sha256,
    release: { product: 'Contoso App', version: '2.0' },
    path: 'setup.exe',
    detections: [{ engine: vendor, category: 'malicious', result: 'Trojan.Gen.2', reading: null, scannedAt: '2026-12-01T00:00:00.000Z', scanId: 's' }],
    summary: '',
    state: 'new',
    reference: null,
    openedAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    submittedAt: null,
    dueAt: null,
    closedAt: null,
  };
}

function input(vendor: string, size: number, count = 1): PlanInput {
  const files = Array.from({ length: count }, (_, i) => ({ sha256: String(i).repeat(64).slice(0, 64), path: `bin/app${i}.exe`, size, signer: null, signatureStatus: 'unsigned' }));
  return { vendor, entry: directory.find(vendor), cases: files.map((f, i) => fpCase(i + 1, vendor, f.sha256)), release: header, files, releaseFiles: files, profile: EMPTY_CASE_SETTINGS.submission, from: 'Jane <jane@contoso.example>' };
}

describe('submission plans follow each vendor’s rules', () => {
  it('sends hashes and links instead of an archive above the size limit', () => {
    const small = planSubmission(input('TrendMicro', 1000));
    assert.equal(small.archive?.password, 'infected');
    const big = planSubmission(input('TrendMicro', 13 * 1024 * 1024));
    assert.equal(big.archive, null);
    assert.match(big.noArchiveReason ?? '', /exceed Trend Micro's limit of 12582912 bytes/);
    assert.match(big.mail?.text ?? '', /Not attached: .*hashes and links/);
  });

  it("uses the vendor's own password, none for Symantec, and warns above the file count", () => {
    assert.equal(planSubmission(input('Panda', 10)).archive?.password, 'panda');
    const sym = planSubmission(input('Symantec', 10, 10));
    assert.equal(sym.archive?.password, null);
    assert.ok(sym.warnings.some((w) => /at most 9 files/.test(w)));
    assert.equal(new Set(sym.archive?.members.map((m) => m.name)).size, 10);
  });

  it('never mails a channel marked as bouncing, and says so', () => {
    const baidu = planSubmission(input('Baidu', 10));
    assert.equal(baidu.mail?.to, 'gaoyingchun@baidu.com');
    assert.ok(baidu.warnings.some((w) => w.includes('bav@baidu.com') && w.includes('bounces')));
  });

  it('writes a field sheet for portal-only vendors and a stable Message-ID', () => {
    const i = input('Microsoft', 10);
    const plan = planSubmission(i);
    assert.equal(plan.mail, null);
    const sheet = renderFieldSheet(plan, i);
    assert.match(sheet, /This form needs a sign-in/);
    assert.match(sheet, /We publish Contoso App/);
    assert.equal(stableMessageId('Microsoft', [2, 1], 'x@contoso.example'), stableMessageId('Microsoft', [1, 2], 'x@contoso.example'));
    assert.notEqual(stableMessageId('Microsoft', [1], null), stableMessageId('Microsoft', [2], null));
    assert.match(stableMessageId('McAfee', [1], 'Jane <jane@contoso.example>'), /^<absolve-[0-9a-f]{32}@contoso\.example>$/);
  });
});

describe('case settings', () => {
  it('refuses a password in the file and a bad port', () => {
    assert.throws(() => parseCaseSettings({ smtp: { host: 'h', from: 'a@b.c', password: 'x' } }, 'c.json'), /unknown key 'password'/);
    assert.throws(() => parseCaseSettings({ smtp: { host: 'h', from: 'a@b.c', port: 70000 } }, 'c.json'), /smtp.port must be a port number/);
    assert.equal(parseCaseSettings({ smtp: { host: 'h', from: 'a@b.c', secure: true } }, 'c.json').smtp?.port, 465);
  });
});

describe('vendor stats', () => {
  it('counts cases, the median time to resolution and the share without response', () => {
    const cases = [1, 2, 3].map((id) => ({ ...fpCase(id, 'Bkav', String(id).repeat(64)), state: id === 3 ? ('no-response' as const) : ('resolved' as const) }));
    const ev = (caseId: number, at: string, toState: CaseEvent['toState']): CaseEvent => ({ caseId, seq: 0, at, kind: 'state', fromState: null, toState, note: null });
    const events = [
      ev(1, '2026-12-01T00:00:00.000Z', 'submitted'),
      ev(1, '2026-12-01T10:00:00.000Z', 'resolved'),
      ev(2, '2026-12-01T00:00:00.000Z', 'submitted'),
      ev(2, '2026-12-02T06:00:00.000Z', 'resolved'),
      ev(3, '2026-12-01T00:00:00.000Z', 'submitted'),
    ];
    const [bkav] = vendorStats(cases, events, new Date('2026-12-20T00:00:00.000Z'));
    assert.deepEqual(bkav, { vendor: 'Bkav', cases: 3, submitted: 3, resolved: 2, rejected: 0, medianHoursToResolution: 20, noResponseShare: 0.333 });
  });
});
