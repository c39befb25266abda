/**
 * Content-addressed blobs on the local file system: `ROOT/sha256/ab/cdef…` (the first two hex
 * digits name a folder, so no folder holds more than ~1/256 of the blobs).
 *
 * A blob is written to `ROOT/tmp/<sha256>.<pid>.<random>.part`, hashed while it is written,
 * flushed to disk, and only then renamed to its final name, so a killed process never leaves a
 * partial blob under a final name and a final name always holds bytes that hash to it. Leftover
 * `.part` files from killed runs (older than an hour) are swept before the first write.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AbsolveError } from '../core/errors.ts';
import { ReleaseError } from '../core/releases/errors.ts';
import type { BlobSource, BlobStore } from '../core/releases/ports.ts';

/** Temporary files older than this are from a killed run and are removed on open. */
const STALE_TEMP_MS = 60 * 60 * 1000;
const READ_CHUNK_BYTES = 1024 * 1024;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export class FileBlobStore implements BlobStore {
  private ready: Promise<void> | undefined;

  /** Nothing touches the disk until the first `put` (read-only commands leave no folders behind). */
  constructor(
    readonly root: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private get tempDir(): string {
    return join(this.root, 'tmp');
  }

  /** Creates the temporary folder and sweeps `.part` files a killed run left behind (once per instance). */
  private prepare(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.tempDir, { recursive: true });
      const cutoff = this.clock().getTime() - STALE_TEMP_MS;
      for (const name of await readdir(this.tempDir)) {
        if (!name.endsWith('.part')) continue;
        const path = join(this.tempDir, name);
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined && info.mtimeMs < cutoff) await rm(path, { force: true });
      }
    })();
    return this.ready;
  }

  pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new AbsolveError('INTERNAL', `blob name '${sha256}' is not a lowercase SHA-256`);
    return join(this.root, 'sha256', sha256.slice(0, 2), sha256.slice(2));
  }

  async has(sha256: string): Promise<boolean> {
    return (await stat(this.pathOf(sha256)).catch(() => undefined))?.isFile() === true;
  }

  async locate(sha256: string): Promise<string | undefined> {
    return (await this.has(sha256)) ? this.pathOf(sha256) : undefined;
  }

  async *list(): AsyncIterable<string> {
    const base = join(this.root, 'sha256');
    const prefixes = await readdir(base).catch(() => [] as string[]);
    for (const prefix of prefixes.sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const rest of (await readdir(join(base, prefix)).catch(() => [] as string[])).sort()) {
        const sha256 = `${prefix}${rest}`;
        if (SHA256_HEX.test(sha256)) yield sha256;
      }
    }
  }

  async remove(sha256: string, writtenBefore: Date): Promise<number | null> {
    const path = this.pathOf(sha256);
    const info = await stat(path).catch(() => undefined);
    if (info === undefined || !info.isFile() || info.mtimeMs >= writtenBefore.getTime()) return null;
    await rm(path, { force: true });
    return info.size;
  }

  async put(sha256: string, source: BlobSource): Promise<'stored' | 'present'> {
    const final = this.pathOf(sha256);
    if (await this.has(sha256)) return 'present';
    await this.prepare();
    const temp = join(this.tempDir, `${sha256}.${process.pid}.${randomBytes(6).toString('hex')}.part`);
    const hash = createHash('sha256');
    const file = await open(temp, 'wx');
    try {
      if (source.kind === 'bytes') {
        hash.update(source.bytes);
        await file.write(source.bytes);
      } else {
        for await (const chunk of createReadStream(source.path, { highWaterMark: READ_CHUNK_BYTES })) {
          const bytes = chunk as Buffer;
          hash.update(bytes);
          await file.write(bytes);
        }
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(temp, { force: true });
      throw new AbsolveError('IO_ERROR', `cannot copy ${source.kind === 'file' ? `'${source.path}'` : 'member bytes'} into the blob store: ${(error as Error).message}`, { cause: error });
    }
    await file.close();
    const actual = hash.digest('hex');
    if (actual !== sha256) {
      await rm(temp, { force: true });
      throw new ReleaseError('BLOB_MISMATCH', `${source.kind === 'file' ? `'${source.path}'` : 'member bytes'} changed after the audit (SHA-256 now ${actual}, audited ${sha256}); run the command again`);
    }
    await mkdir(join(this.root, 'sha256', sha256.slice(0, 2)), { recursive: true });
    await rename(temp, final);
    return 'stored';
  }
}
