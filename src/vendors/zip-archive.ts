/**
 * Submission archives: ZIP, ZipCrypto-encrypted when a password is given (the "traditional PKWARE
 * encryption" every AV lab's tooling and `unzip` open; AES would not open everywhere), written by
 * 7-Zip compiled to WebAssembly (`7z-wasm`) in its in-memory file system: member names never touch
 * the real file system, and nothing is left behind.
 */
import sevenZipPackage from '7z-wasm';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';
import type { ZipMember } from '../core/cases/ports.ts';
import { AbsolveError } from '../core/errors.ts';

// CommonJS package typed with `export default`: Node gives ESM importers the factory itself (see src/containers/sevenzip.ts).
const packageExport = sevenZipPackage as unknown as SevenZipModuleFactory | { default: SevenZipModuleFactory };
const createSevenZip: SevenZipModuleFactory = typeof packageExport === 'function' ? packageExport : packageExport.default;


/** The ZIP bytes; `password` null = no encryption. */
export async function writeSubmissionZip(members: readonly ZipMember[], password: string | null): Promise<Uint8Array> {
  const errors: string[] = [];
  let module: SevenZipModule;
  try {
    module = await createSevenZip({
      print: () => undefined,
      printErr: (s: string) => errors.push(s),
      quit: (_code: number, status: unknown) => {
        throw status;
      },
    });
  } catch (e) {
    throw new AbsolveError('INTERNAL', `7z-wasm could not start: ${(e as Error).message}`, { cause: e });
  }
  const FS = module.FS;
  FS.mkdir('/in');
  FS.mkdir('/out');
  for (const m of members) {
    if (!/^[A-Za-z0-9._-]+$/.test(m.name) || m.name.startsWith('.')) throw new AbsolveError('INTERNAL', `unsafe archive member name '${m.name}'`);
    FS.writeFile(`/in/${m.name}`, m.bytes);
  }
  const args = ['a', '-tzip', '-bd', '-y', '-mx=5', ...(password === null ? [] : [`-p${password}`, '-mem=ZipCrypto']), '/out/archive.zip', ...members.map((m) => `/in/${m.name}`)];
  const exitCode = process.exitCode;
  let rc: number;
  try {
    const result = module.callMain(args) as unknown;
    rc = typeof result === 'number' ? result : 0;
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    if (typeof status !== 'number') throw new AbsolveError('INTERNAL', `7-Zip failed writing the archive: ${(e as Error).message}`, { cause: e });
    rc = status;
  } finally {
    process.exitCode = exitCode;
  }
  if (rc !== 0) throw new AbsolveError('INTERNAL', `7-Zip failed writing the archive (exit ${rc}): ${errors.join(' ').slice(0, 300)}`);
  return FS.readFile('/out/archive.zip');
}
