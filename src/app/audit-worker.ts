/** A worker thread of `absolve audit`: audits the files the main thread sends, with the same adapters. */
import { parentPort, workerData } from 'node:worker_threads';
import { auditFile, type WorkerData } from '../files/audit-files.ts';
import type { WalkedFile } from '../files/walk.ts';
import { containerReaderFromSettings } from './audit-runtime.ts';

const data = workerData as WorkerData;
const options = { hashes: data.hashes, trustAnchors: data.trustAnchors, at: new Date(data.at), limits: data.limits };
const containers = containerReaderFromSettings(data.settings);

parentPort?.on('message', (message: { index: number; file: WalkedFile }) => {
  void auditFile(message.file, options, containers).then((reports) => {
    parentPort?.postMessage({ index: message.index, reports });
  });
});
