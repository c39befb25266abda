/**
 * Scanners that read a path (clamscan, yara, vendor command-line scanners) get the sample's own
 * file when it has one, else a private temporary copy: a random name in a fresh directory under
 * os.tmpdir() (mode 0700, the file 0600), never a name taken from an archive, written by
 * streaming the sample (bounded memory) and removed afterwards whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScanSample } from '../../core/scans/index.ts';
import { throwIfAborted } from './abort.ts';

// A path with control characters would break the line-based output of the scanners: copy instead.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Runs `use` with a path holding exactly the sample's bytes (absolute, so it can never look like
 * an option). `alwaysCopy` scans a private copy even when the sample has a file of its own: for
 * scanners that might remediate (delete, quarantine, disinfect) what they flag, so a release
 * file can never be touched.
 */
export async function withSampleFile<T>(
  sample: ScanSample,
  signal: AbortSignal | undefined,
  use: (path: string) => Promise<T>,
  options: { alwaysCopy?: boolean } = {},
): Promise<T> {
  throwIfAborted(signal);
  if (options.alwaysCopy !== true && sample.filePath !== undefined && !CONTROL.test(sample.filePath)) return use(resolve(sample.filePath));
  const dir = await mkdtemp(join(tmpdir(), 'absolve-scan-'));
  try {
    const path = join(dir, randomBytes(12).toString('hex'));
    const handle = await open(path, 'wx', 0o600);
    try {
      for await (const chunk of sample.stream()) {
        throwIfAborted(signal);
        // write(2) may write less than asked: loop until the whole chunk is on disk.
        for (let offset = 0; offset < chunk.length; ) {
          const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
          offset += bytesWritten;
        }
      }
    } finally {
      await handle.close();
    }
    throwIfAborted(signal);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
