/** A worker thread of `absolve audit`: takes files from the shared queue and audits them with the same adapters. */
import { parentPort, workerData } from 'node:worker_threads';
import { auditFile, drainQueue, type WorkerData } from '../files/audit-files.ts';
import { containerReaderFromSettings } from './audit-runtime.ts';

const data = workerData as WorkerData;
const options = {
  hashes: data.hashes,
  trustAnchors: data.trustAnchors,
  at: new Date(data.at),
  limits: data.limits,
  verificationPolicy: data.verificationPolicy,
};
const containers = containerReaderFromSettings(data.settings);

void drainQueue(data.files, new Int32Array(data.nextFile), (file) => auditFile(file, options, containers), (message) => parentPort?.postMessage(message), false);
