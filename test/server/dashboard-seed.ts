/**
 * Seed data for the dashboard tests, written through the real store ports and use cases: two
 * releases of one product (signed by different certificates, one close to expiry), a container
 * with members, five scans over two and a half weeks (clean, then a storm of 18 engines on app.exe that dies
 * down to one, Microsoft), the detection-change events those scans produce, and the cases opened from the
 * third scan, some of them submitted (one overdue), acknowledged or resolved.
 */
import { recordDetectionEvents } from '../../src/core/monitor/record-events.ts';
import { openCasesForRelease } from '../../src/core/cases/open-cases.ts';
import { KyselyCaseStore } from '../../src/store/kysely-case-store.ts';
import { KyselyEventStore } from '../../src/store/kysely-event-store.ts';
import { KyselyScanStore } from '../../src/store/kysely-scan-store.ts';
import { openSQLiteStore } from '../../src/store/sqlite.ts';
import type { ReleaseDraft } from '../../src/core/releases/release.types.ts';
import { makeVerdict } from '../../src/core/scans/index.ts';
import type { Verdict } from '../../src/core/scans/scan.types.ts';
import { buildVendorDirectory } from '../../src/core/vendors/index.ts';
import { certificate, draft } from '../store/sample-data.ts';

export const PRODUCT = 'contoso-app';
export const VERSION = '2.1.0';
export const OLD_VERSION = '2.0.0';

/** Detection names as the engines print them (the classifier reads ML, heuristic, generic, family from them). */
const NAMES: Record<string, string> = {
  Microsoft: 'Trojan:Win32/Wacatac.B!ml',
  CrowdStrike: 'win/malicious_confidence_90% (W)',
  Cylance: 'Unsafe',
  SentinelOne: 'Static AI - Malicious PE',
  Elastic: 'Malicious (high Confidence)',
  BitDefender: 'Gen:Variant.Tedy.51234',
  GData: 'Gen:Variant.Tedy.51234',
  Emsisoft: 'Gen:Variant.Tedy.51234 (B)',
  Avast: 'Win64:Malware-gen',
  AVG: 'Win64:Malware-gen',
  Kaspersky: 'HEUR:Trojan.Win32.Generic',
  'ESET-NOD32': 'a variant of Win64/Packed.Agent.X',
  McAfee: 'Artemis!4C2A0E8F1B3D',
  Symantec: 'ML.Attribute.HighConfidence',
  Sophos: 'Generic ML PUA (PUA)',
  TrendMicro: 'TROJ_GEN.R002C0DK123',
  Fortinet: 'W32/PossibleThreat',
  DeepInstinct: 'MALICIOUS',
  Ikarus: 'Trojan.Win64.Agent',
};
const ALL_ENGINES = [...Object.keys(NAMES), 'Malwarebytes', 'Zillya', 'ClamAV-VT'];

/** Per scan: the engines flagging each file (by release path). */
const STORM: Array<{ at: string; flags: Record<string, string[]> }> = [
  { at: '2026-11-08T09:00:00.000Z', flags: {} },
  {
    at: '2026-11-10T09:00:00.000Z',
    flags: {
      'setup.msi!/bin/app.exe': Object.keys(NAMES).slice(0, 18),
      'setup.msi!/bin/helper.dll': ['Kaspersky', 'ESET-NOD32'],
      'setup.msi': ['Cylance', 'SentinelOne', 'Elastic'],
    },
  },
  {
    at: '2026-11-13T09:00:00.000Z',
    flags: {
      'setup.msi!/bin/app.exe': ['Microsoft', 'CrowdStrike', 'Cylance', 'SentinelOne', 'BitDefender', 'GData', 'Avast', 'AVG', 'Kaspersky', 'Symantec', 'Sophos'],
      'setup.msi': ['Cylance', 'SentinelOne', 'DeepInstinct'],
    },
  },
  { at: '2026-11-18T09:00:00.000Z', flags: { 'setup.msi!/bin/app.exe': ['Microsoft', 'CrowdStrike', 'Cylance', 'Symantec'], 'setup.msi': ['DeepInstinct'] } },
  { at: '2026-11-25T09:00:00.000Z', flags: { 'setup.msi!/bin/app.exe': ['Microsoft'] } },
];

export const expiringCert = certificate('Contoso Code Signing 2024', undefined, '2027-01-20T00:00:00.000Z');
export const currentCert = certificate('Contoso Code Signing 2026');

export function releaseDrafts(): { current: ReleaseDraft; old: ReleaseDraft } {
  const old = draft(PRODUCT, OLD_VERSION, [
    { path: 'setup.msi', content: 'old msi', signer: expiringCert, format: 'unknown' },
    { path: 'setup.msi!/bin/app.exe', content: 'old app', signer: expiringCert },
  ], { createdAt: '2026-09-01T10:00:00.000Z' });
  const current = draft(PRODUCT, VERSION, [
    { path: 'setup.msi', content: 'msi bytes', signer: currentCert, format: 'unknown' },
    { path: 'setup.msi!/bin/app.exe', content: 'app bytes', signer: currentCert },
    {
      path: 'setup.msi!/bin/helper.dll',
      content: 'helper bytes',
      signer: null,
      findings: [{ id: 'ABS-FP-003', severity: 'warning', message: 'helper.dll is not signed: unsigned DLLs draw ML detections', fix: 'Sign every PE in the installer, not only the main executable.' }],
    },
    { path: 'updater.exe', content: 'updater <script>alert(1)</script>', signer: null },
  ], { createdAt: '2026-11-09T10:00:00.000Z' });
  return { current, old };
}

export interface Seeded {
  /** The case the browser test marks submitted (state new, vendor Microsoft). */
  microsoftCaseId: number;
  appSha256: string;
  scanIds: string[];
}

/**
 * Seeds the SQLite store at `dbPath` (created). The scan store's clock follows the scan rounds, so
 * each round's answers are recorded at its own time and the next round compares with them, as a
 * monitor running daily would.
 */
export async function seedDashboard(dbPath: string): Promise<Seeded> {
  const handle = await openSQLiteStore(dbPath, { create: true });
  let clock = new Date('2026-11-01T00:00:00.000Z');
  const opened = { store: handle.store, scans: new KyselyScanStore(handle.db, () => clock), events: new KyselyEventStore(handle.db), cases: new KyselyCaseStore(handle.db) };
  try {
    return await seed(opened, (at) => (clock = new Date(at)));
  } finally {
    await handle.store.close();
  }
}

async function seed(opened: { store: Awaited<ReturnType<typeof openSQLiteStore>>['store']; scans: KyselyScanStore; events: KyselyEventStore; cases: KyselyCaseStore }, setClock: (at: string) => void): Promise<Seeded> {
  const { current, old } = releaseDrafts();
  await opened.store.saveRelease(old, { replace: false, deriveFindings: () => [] });
  await opened.store.saveRelease(current, { replace: false, deriveFindings: () => [] });
  const key = { product: PRODUCT, version: VERSION };
  const scanIds: string[] = [];
  let i = 0;
  for (const round of STORM) {
    const id = `scan-${++i}`;
    scanIds.push(id);
    setClock(round.at);
    await opened.scans.beginScan({ id, startedAt: round.at, finishedAt: null, trigger: i === 1 ? 'cli' : 'monitor', engines: ['virustotal'], release: key, inputs: [`${PRODUCT}@${VERSION}`] });
    await opened.scans.addTargets(id, current.artifacts.map((a, ordinal) => ({ ordinal, path: a.path, parentPath: a.path.includes('!/') ? a.path.slice(0, a.path.lastIndexOf('!/')) : null, sha256: a.sha256, size: a.size })));
    for (const a of current.artifacts) {
      const flagging = round.flags[a.path] ?? [];
      const verdicts: Verdict[] = ALL_ENGINES.map((engine) =>
        makeVerdict({ engine, via: 'virustotal', category: flagging.includes(engine) ? 'malicious' : 'undetected', result: flagging.includes(engine) ? (NAMES[engine] ?? 'Malicious') : null, scannedAt: round.at }),
      );
      await opened.scans.addVerdicts(id, a.sha256, verdicts, false);
    }
    await opened.scans.finishScan(id, round.at);
    const detail = await opened.scans.getScan(id);
    if (detail === undefined) throw new Error(`scan ${id} not stored`);
    await recordDetectionEvents(detail, opened.scans, opened.events);
    if (i === 3) await openCasesForRelease({ cases: opened.cases, scans: opened.scans, now: () => new Date('2026-11-13T10:00:00.000Z'), directory: buildVendorDirectory() }, key);
  }
  const cases = await opened.cases.listCases({ release: key });
  const find = (vendor: string): number => {
    const c = cases.find((k) => k.vendor === vendor && k.path === 'setup.msi!/bin/app.exe');
    if (c === undefined) throw new Error(`no ${vendor} case; vendors: ${cases.map((k) => k.vendor).join(', ')}`);
    return c.id;
  };
  // A submission whose answer is overdue, one acknowledged, one the vendor fixed.
  await opened.cases.updateCase(find('CrowdStrike Falcon'), { at: '2026-11-14T08:00:00.000Z', state: 'submitted', dueAt: '2026-11-21T08:00:00.000Z', reference: 'CS-4471' }, 'new');
  const kaspersky = find('Kaspersky');
  await opened.cases.updateCase(kaspersky, { at: '2026-11-14T08:00:00.000Z', state: 'submitted', dueAt: '2099-11-21T08:00:00.000Z' }, 'new');
  await opened.cases.updateCase(kaspersky, { at: '2026-11-16T08:00:00.000Z', state: 'acknowledged', reference: 'KL-99812' }, 'submitted');
  await opened.cases.updateCase(find('Avast'), { at: '2026-11-18T08:00:00.000Z', state: 'resolved', note: 'Avast removed the detection' }, 'new');
  const app = current.artifacts.find((a) => a.path === 'setup.msi!/bin/app.exe');
  return { microsoftCaseId: find('Microsoft'), appSha256: app?.sha256 ?? '', scanIds };
}
