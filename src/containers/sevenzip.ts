/**
 * 7-Zip compiled to WebAssembly (`7z-wasm`, 7-Zip 24.09) for the formats that are impractical in TypeScript:
 * NSIS installers (zlib/bzip2/LZMA, solid or not) and LZX/Quantum cabinet folders.
 *
 * Safety:
 * - A fresh module per call: no state (files, heap) survives between archives.
 * - Only the in-memory file system (MEMFS) is used: nothing is mounted, so archive member names can never reach
 *   the real file system. The archive goes in as `/in/archive`, members come out under `/out`.
 * - Output is capped while 7-Zip writes: FS.write is wrapped with a running counter per file and in total; past a
 *   cap it fails with ENOSPC, 7-Zip stops, and the member being written is dropped.
 * - Input size is bounded by the caller (maxContainerBytes).
 */
import sevenZipPackage from '7z-wasm';
import type { SevenZipModule, SevenZipModuleFactory } from '7z-wasm';
import { ParseError } from '../binary/index.ts';

export interface SevenZipLimits {
  /** Bytes one extracted file may reach. */
  maxFileBytes: number;
  /** Bytes all extracted files may reach together. */
  maxTotalBytes: number;
  /** Files kept (count). */
  maxFiles: number;
}

export interface SevenZipEntry {
  /** `Path` as 7-Zip lists it. */
  path: string;
  size: number | undefined;
  packedSize: number | undefined;
  method: string | undefined;
  encrypted: boolean;
  folder: boolean;
}

export interface SevenZipResult {
  /** `7zz l -slt` entries (below the archive's own block). */
  entries: SevenZipEntry[];
  /** Archive-level properties (Type, Method, Solid, SubType, …). */
  archive: Record<string, string>;
  /** Files found under /out after `7zz x`, with their bytes; `complete` is false when 7-Zip reported an error or a cap cut it. */
  files: Array<{ path: string; data: Uint8Array; complete: boolean }>;
  exitCode: number;
  /** Error lines 7-Zip printed (for messages). */
  errors: string[];
  /** Set when a cap stopped the extraction: which limit and at which file. */
  capped: { limit: string; path: string } | undefined;
  /** True when more than maxFiles files came out (the rest are not returned). */
  tooManyFiles: boolean;
}

interface EmscriptenFS {
  write(stream: { path?: string }, buffer: ArrayBufferView, offset: number, length: number, position?: number, canOwn?: boolean): number;
  ErrnoError: new (errno: number) => Error;
}

const ENOSPC = 28;

// The package is CommonJS with an `export default` in its typings: Node hands ESM importers module.exports (the
// factory) as the default, while TypeScript sees the namespace. Accept either shape.
const packageExport = sevenZipPackage as unknown as SevenZipModuleFactory | { default: SevenZipModuleFactory };
const createSevenZip: SevenZipModuleFactory = typeof packageExport === 'function' ? packageExport : packageExport.default;

/** Run `7zz l -slt` and `7zz x` on `archive` with a forced type ('Nsis', 'Cab', …). */
export async function runSevenZip(archive: Uint8Array, type: string, limits: SevenZipLimits): Promise<SevenZipResult> {
  const lines: string[] = [];
  const errors: string[] = [];
  let module: SevenZipModule;
  try {
    module = await createSevenZip({
      print: (s: string) => lines.push(s),
      printErr: (s: string) => errors.push(s),
      // emscripten's default quit() sets process.exitCode (7-Zip's exit status would leak into our process).
      quit: (_code: number, status: unknown) => {
        throw status;
      },
    });
  } catch (e) {
    throw new ParseError('SEVENZIP_UNAVAILABLE', `7z-wasm could not start: ${(e as Error).message}`, { cause: e });
  }
  const FS = module.FS;
  FS.mkdir('/in');
  FS.mkdir('/out');
  FS.writeFile('/in/archive', archive);

  // Output caps, enforced while 7-Zip writes (the archive itself was written above, before the hook).
  const perFile = new Map<string, number>();
  let total = 0;
  let capped: SevenZipResult['capped'];
  const fs = FS as unknown as EmscriptenFS;
  const write = fs.write.bind(FS);
  fs.write = (stream, buffer, offset, length, position, canOwn) => {
    const path = stream.path ?? '';
    if (path.startsWith('/out/')) {
      const fileBytes = (perFile.get(path) ?? 0) + length;
      if (fileBytes > limits.maxFileBytes) capped ??= { limit: 'maxMemberBytes', path };
      else if (total + length > limits.maxTotalBytes) capped ??= { limit: 'maxTotalExtractedBytes', path };
      if (capped !== undefined) throw new fs.ErrnoError(ENOSPC);
      perFile.set(path, fileBytes);
      total += length;
    }
    return write(stream, buffer, offset, length, position, canOwn);
  };

  const call = (args: string[]): number => {
    const exitCode = process.exitCode;
    try {
      const rc = module.callMain(args) as unknown;
      return typeof rc === 'number' ? rc : 0;
    } catch (e) {
      // emscripten reports exit() as an ExitStatus exception on some builds.
      const status = (e as { status?: unknown }).status;
      if (typeof status === 'number') return status;
      throw new ParseError('SEVENZIP_FAILED', `7-Zip crashed: ${(e as Error).message}`, { cause: e });
    } finally {
      process.exitCode = exitCode;
    }
  };

  const listRc = call(['l', '-slt', '-bd', `-t${type}`, '/in/archive']);
  const { entries, archiveProps } = parseListing(lines);
  if (listRc !== 0 && entries.length === 0) {
    const text = errors.join(' ').replace(/\s+/g, ' ').trim();
    throw new ParseError(/unexpected end/i.test(text) ? 'SEVENZIP_TRUNCATED' : 'SEVENZIP_CANNOT_OPEN', `7-Zip cannot open the data as ${type}: ${text}`);
  }
  errors.length = 0;
  const exitCode = call(['x', '-y', '-bd', `-t${type}`, '-o/out', '/in/archive']);

  const files: SevenZipResult['files'] = [];
  let tooManyFiles = false;
  const failed = new Set(errors.map((l) => /ERROR: .*? : (.+)$/.exec(l)?.[1]).filter((p): p is string => p !== undefined));
  const declared = new Map(entries.map((e) => [e.path, e.size]));
  const walk = (dir: string): void => {
    for (const name of FS.readdir(dir)) {
      if (name === '.' || name === '..') continue;
      const full = `${dir}/${name}`;
      const stat = FS.stat(full);
      if (FS.isDir(stat.mode)) {
        walk(full);
        continue;
      }
      if (files.length >= limits.maxFiles) {
        tooManyFiles = true;
        continue;
      }
      const path = full.slice('/out/'.length);
      const size = declared.get(path);
      const complete = capped?.path !== full && !failed.has(path) && (size !== undefined ? size === stat.size : exitCode === 0);
      files.push({ path, data: FS.readFile(full), complete });
    }
  };
  walk('/out');
  return { entries, archive: archiveProps, files, exitCode, errors: [...errors], capped, tooManyFiles };
}

function parseListing(lines: string[]): { entries: SevenZipEntry[]; archiveProps: Record<string, string> } {
  const entries: SevenZipEntry[] = [];
  const archiveProps: Record<string, string> = {};
  let inEntries = false;
  let current: Record<string, string> | undefined;
  const flush = (): void => {
    if (current === undefined || current.Path === undefined) return;
    const num = (v: string | undefined): number | undefined => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
    entries.push({
      path: current.Path,
      size: num(current.Size),
      packedSize: num(current['Packed Size']),
      method: current.Method === '' ? undefined : current.Method,
      encrypted: current.Encrypted === '+',
      folder: current.Folder === '+' || (current.Attributes ?? '').startsWith('D'),
    });
    current = undefined;
  };
  for (const line of lines) {
    if (line.startsWith('----------')) {
      inEntries = true;
      continue;
    }
    const eq = line.indexOf(' = ');
    if (!inEntries) {
      if (eq > 0) archiveProps[line.slice(0, eq)] = line.slice(eq + 3);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (eq > 0) {
      const key = line.slice(0, eq);
      if (key === 'Path') flush();
      current ??= {};
      current[key] = line.slice(eq + 3);
    }
  }
  flush();
  return { entries, archiveProps };
}
