export * from './scan.types.ts';
export { memorySample, SAMPLE_STREAM_CHUNK_BYTES } from './memory-sample.ts';
export { makeVerdict, noAnswerVerdict, ScanError, type VerdictFields } from './verdicts.ts';
export type { ScanStore } from './ports.ts';
export * from './scan-report.ts';
export { collectScanTargets, DETECT_HEAD_BYTES, type CollectedTargets, type ScanRoot, type ScanTarget } from './scan-targets.ts';
export { DEFAULT_ENGINE_CONCURRENCY, runScan, type RunScanOptions, type ScanRootProvider } from './run-scan.ts';
