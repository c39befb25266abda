import { parentPort, workerData } from 'node:worker_threads';
import type { HashAlgorithm } from '../core/audit.types.ts';
import type { AuditLimits } from '../core/limits.ts';
import { auditFile } from './audit-files.ts';
import type { WalkedFile } from './walk.ts';

interface SharedOptions {
  hashes: HashAlgorithm[];
  trustAnchors: Uint8Array[];
  at: string;
  limits: AuditLimits;
}

const shared = workerData as SharedOptions;
const options = { hashes: shared.hashes, trustAnchors: shared.trustAnchors, at: new Date(shared.at), limits: shared.limits };

parentPort?.on('message', (message: { index: number; file: WalkedFile }) => {
  void auditFile(message.file, options).then((report) => {
    parentPort?.postMessage({ index: message.index, report });
  });
});
