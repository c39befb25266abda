export * from './scan.types.ts';
export { memorySample, SAMPLE_STREAM_CHUNK_BYTES } from './memory-sample.ts';
export { makeVerdict, noAnswerVerdict, ScanError, type VerdictFields } from './verdicts.ts';
