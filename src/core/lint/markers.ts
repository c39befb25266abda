/**
 * What a PE's bytes say about how it was built: runtime packers and protectors (by section names and
 * entry-point stubs), installers and one-file bundles that unpack executables to a temporary folder, and
 * payload formats appended as an overlay. Recognition only: nothing here changes or advises changing bytes.
 *
 * Sources for the markers:
 * - UPX: section names UPX0/UPX1 (UPX2 in old versions) and the "UPX!" pack header are documented by UPX
 *   (upx/upx `src/p_w32pe_i386.cpp`, `src/p_w64pe_amd64.cpp`); the entry stubs below are the first
 *   instructions of its i386 / AMD64 Windows decompressors (pushad; mov esi, …; lea edi, … / push rbx; push
 *   rsi; push rdi; push rbp; lea rsi, […]; lea rdi, […]).
 * - Other packers: section names as the tools write them (MPRESS `.MPRESS1/2`, ASPack `.aspack/.adata`,
 *   PECompact `PEC2*`/`pec*`, Themida/WinLicense `.themida/.winlice`, VMProtect `.vmp0..2`, Enigma
 *   `.enigma1/2`, NsPack `.nsp0..2`, Petite `.petite`, MEW, RLPack, kkrunchy, Upack `.Upack/.ByDwing`).
 * - NSIS: the `.ndata` section of the exehead stub, its manifest identity `Nullsoft.NSIS.exehead`, and the
 *   first header (0xDEADBEEF, "NullsoftInst") at the start of the overlay (NSIS `Source/exehead/fileform.h`).
 * - Inno Setup: the setup loader's offset-table ID "rDlPtS", the "Inno Setup Setup Data" block header and the
 *   loader's version-info comment "…built with Inno Setup".
 * - PyInstaller: the CArchive cookie magic `MEI\014\013\012\013\016` (PyInstaller `archive/writers.py`) and the
 *   bootloader's `_MEIPASS` variable.
 * - Nuitka onefile: payload magic "KA" + compression flag 'X'/'Y', in the overlay or an RCDATA resource, and the
 *   bootstrap's `NUITKA_ONEFILE_PARENT` variable.
 * - electron-builder: an NSIS installer that carries `app-64.7z` / `app-32.7z` / `app-arm64.7z` or the
 *   portable target's `PORTABLE_EXECUTABLE_DIR` where they are visible (best effort: compressed NSIS headers
 *   hide them).
 * - .NET single-file bundle: the apphost's bundle signature, SHA-256 of ".net core bundle"
 *   (dotnet/runtime `Microsoft.NET.HostModel/AppHost/HostWriter.cs`), preceded by a non-zero header offset.
 */
import type { BundleFacts, BundleKind, Evidence, SectionFacts } from './lint.types.ts';

/** How much of the image the string markers are searched in: bootstrap stubs are small; huge images are not stubs. */
export const MARKER_SEARCH_BYTES = 16 * 1024 * 1024;
/** Bytes read at the start and end of an in-memory overlay to recognise its format. */
export const OVERLAY_PROBE_BYTES = 64 * 1024;

interface PackerSignature {
  name: string;
  /** Exact section names (as shown, after long-name resolution). */
  sections: readonly string[];
  /** Entry-point byte patterns: hex pairs, `??` = any byte. */
  stubs: ReadonlyArray<{ label: string; pattern: string }>;
}

export const PACKER_SIGNATURES: readonly PackerSignature[] = [
  {
    name: 'UPX',
    sections: ['UPX0', 'UPX1', 'UPX2', 'UPX3', '.UPX0', '.UPX1'],
    stubs: [
      { label: 'UPX i386 decompressor', pattern: '60 BE ?? ?? ?? ?? 8D BE ?? ?? ?? ??' },
      { label: 'UPX AMD64 decompressor', pattern: '53 56 57 55 48 8D 35 ?? ?? ?? ?? 48 8D BE ?? ?? ?? ??' },
    ],
  },
  { name: 'MPRESS', sections: ['.MPRESS1', '.MPRESS2'], stubs: [{ label: 'MPRESS i386 stub', pattern: '60 E8 00 00 00 00 58 05' }] },
  { name: 'ASPack', sections: ['.aspack', '.adata'], stubs: [{ label: 'ASPack 2.x stub', pattern: '60 E8 03 00 00 00 E9 EB' }] },
  { name: 'PECompact', sections: ['PEC2', 'PEC2TO', 'PEC2MO', 'PECompact2', 'pec1', 'pec2', 'pec3'], stubs: [] },
  { name: 'Themida / WinLicense', sections: ['.themida', 'Themida', '.winlice', 'WinLicen'], stubs: [] },
  { name: 'VMProtect', sections: ['.vmp0', '.vmp1', '.vmp2'], stubs: [] },
  { name: 'Enigma Protector', sections: ['.enigma1', '.enigma2'], stubs: [] },
  { name: 'NsPack', sections: ['.nsp0', '.nsp1', '.nsp2', 'nsp0', 'nsp1', 'nsp2'], stubs: [] },
  { name: 'Petite', sections: ['.petite'], stubs: [] },
  { name: 'MEW', sections: ['MEW'], stubs: [] },
  { name: 'RLPack', sections: ['.RLPack'], stubs: [] },
  { name: 'kkrunchy', sections: ['kkrunchy'], stubs: [] },
  { name: 'Upack', sections: ['.Upack', '.ByDwing'], stubs: [] },
];

function parsePattern(pattern: string): Array<number | undefined> {
  return pattern.split(/\s+/).map((h) => (h === '??' ? undefined : Number.parseInt(h, 16)));
}

function startsWithPattern(bytes: Uint8Array, pattern: ReadonlyArray<number | undefined>): boolean {
  if (bytes.length < pattern.length) return false;
  return pattern.every((b, i) => b === undefined || bytes[i] === b);
}

export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Packers recognised by section names, the entry-point stub, or UPX's "UPX!" pack header in the PE headers. */
export function detectPackers(sections: readonly SectionFacts[], entryStub: Uint8Array | undefined, headerBytes: Uint8Array): Evidence[] {
  const found: Evidence[] = [];
  for (const sig of PACKER_SIGNATURES) {
    const reasons: string[] = [];
    const names = sections.map((s) => s.name).filter((n) => sig.sections.includes(n));
    if (names.length > 0) reasons.push(`section name${names.length > 1 ? 's' : ''} ${names.join(', ')}`);
    for (const stub of sig.stubs) {
      if (entryStub !== undefined && startsWithPattern(entryStub, parsePattern(stub.pattern))) reasons.push(`entry point starts with the ${stub.label}`);
    }
    if (sig.name === 'UPX' && indexOfBytes(headerBytes, ascii('UPX!'), 0, headerBytes.length) >= 0) reasons.push('"UPX!" pack header');
    if (reasons.length > 0) found.push({ name: sig.name, evidence: reasons.join('; ') });
  }
  return found;
}

export function ascii(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

export function utf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) out[i * 2] = s.charCodeAt(i) & 0xff;
  return out;
}

/** First index of `needle` in bytes[from, to), or -1. Native search (Buffer.indexOf) over a view, no copy. */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  const end = Math.min(to, bytes.length);
  if (from < 0 || end - from < needle.length) return -1;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset + from, end - from);
  const i = view.indexOf(needle);
  return i < 0 ? -1 : from + i;
}

/** True when the text occurs in the range as ASCII or as UTF-16LE. */
function containsText(bytes: Uint8Array, text: string, from: number, to: number): boolean {
  return indexOfBytes(bytes, ascii(text), from, to) >= 0 || indexOfBytes(bytes, utf16(text), from, to) >= 0;
}

const NSIS_FIRST_HEADER = [0xef, 0xbe, 0xad, 0xde, ...ascii('NullsoftInst')];
const DOTNET_BUNDLE_SIGNATURE = hexToBytes('8b1202b96a612038727b930214d7a03213f5b9e6efae3318ee3b2dce24b36aae');
const PYINSTALLER_COOKIE = ascii('MEI\x0c\x0b\x0a\x0b\x0e');

/** Recognised formats at the start of an overlay (after any COFF symbol table). */
export function identifyPayload(head: Uint8Array, tail: Uint8Array): string | null {
  const at = (offset: number, bytes: readonly number[]): boolean => bytes.every((b, i) => head[offset + i] === b);
  if (at(4, NSIS_FIRST_HEADER)) return 'NSIS data';
  if (at(0, [...ascii('rDlPtS')]) || at(0, [...ascii('Inno Setup Setup Data')]) || at(0, [...ascii('zlb'), 0x1a])) return 'Inno Setup data';
  if (at(0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return '7-Zip archive';
  if (at(0, [0x50, 0x4b, 0x03, 0x04])) return 'ZIP archive';
  if (at(0, [...ascii('MSCF'), 0, 0, 0, 0])) return 'Microsoft cabinet';
  if (at(0, [...ascii('Rar!'), 0x1a, 0x07])) return 'RAR archive';
  if (at(0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'compound file (MSI)';
  if (at(0, [0x4b, 0x41]) && (head[2] === 0x58 || head[2] === 0x59)) return 'Nuitka onefile payload';
  if (indexOfBytes(tail, PYINSTALLER_COOKIE, 0, tail.length) >= 0) return 'PyInstaller archive';
  // A self-extracting ZIP may carry its own stub data first; its end-of-central-directory record is at the end.
  if (indexOfBytes(tail, new Uint8Array([0x50, 0x4b, 0x05, 0x06]), Math.max(0, tail.length - 65_557), tail.length) >= 0) return 'ZIP archive';
  return null;
}

/** A .NET single-file apphost with a bundle attached: the signature preceded by a non-zero 8-byte header offset. */
export function isDotnetBundle(bytes: Uint8Array, limit: number): boolean {
  const i = indexOfBytes(bytes, DOTNET_BUNDLE_SIGNATURE, 8, limit);
  if (i < 0) return false;
  return bytes.subarray(i - 8, i).some((b) => b !== 0);
}

export interface BundleInput {
  bytes: Uint8Array;
  /** End of the image data to search (exclusive), bounded by MARKER_SEARCH_BYTES. */
  searchEnd: number;
  sectionNames: readonly string[];
  manifest: string | undefined;
  versionComments: string;
  overlayPayload: string | null;
  /** First bytes of every RCDATA resource that is file-backed. */
  rcdataHeads: readonly Uint8Array[];
}

/** Installers and one-file bundles that unpack executables into a temporary folder at run time. */
export function detectBundles(input: BundleInput): BundleFacts[] {
  const { bytes, searchEnd } = input;
  const found: BundleFacts[] = [];
  const add = (kind: BundleKind, name: string, reasons: string[]): void => {
    if (reasons.length > 0) found.push({ kind, name, evidence: reasons.join('; ') });
  };

  const nsis: string[] = [];
  if (input.sectionNames.includes('.ndata')) nsis.push('.ndata section');
  if (input.manifest?.includes('Nullsoft.NSIS.exehead') === true) nsis.push('manifest identity Nullsoft.NSIS.exehead');
  if (input.overlayPayload === 'NSIS data') nsis.push('NSIS first header in the overlay');
  add('nsis', 'NSIS installer', nsis);

  const inno: string[] = [];
  if (/Inno Setup/i.test(input.versionComments)) inno.push('version comment mentions Inno Setup');
  if (indexOfBytes(bytes, ascii('rDlPtS'), 0, searchEnd) >= 0) inno.push('setup loader offset table');
  if (input.overlayPayload === 'Inno Setup data') inno.push('Inno Setup data in the overlay');
  add('inno', 'Inno Setup installer', inno);

  const pyi: string[] = [];
  if (containsText(bytes, '_MEIPASS', 0, searchEnd)) pyi.push('bootloader variable _MEIPASS');
  if (input.overlayPayload === 'PyInstaller archive') pyi.push('PyInstaller archive cookie');
  add('pyinstaller', 'PyInstaller one-file bundle', pyi);

  const nuitka: string[] = [];
  if (containsText(bytes, 'NUITKA_ONEFILE_PARENT', 0, searchEnd)) nuitka.push('bootstrap variable NUITKA_ONEFILE_PARENT');
  if (input.overlayPayload === 'Nuitka onefile payload') nuitka.push('Nuitka payload in the overlay');
  if (input.rcdataHeads.some((h) => h[0] === 0x4b && h[1] === 0x41 && (h[2] === 0x58 || h[2] === 0x59))) nuitka.push('Nuitka payload in an RCDATA resource');
  add('nuitka', 'Nuitka onefile bundle', nuitka);

  if (nsis.length > 0) {
    const eb: string[] = [];
    for (const name of ['app-64.7z', 'app-32.7z', 'app-arm64.7z', 'PORTABLE_EXECUTABLE_DIR']) {
      if (containsText(bytes, name, 0, bytes.length)) eb.push(`"${name}"`);
    }
    add('electron-builder', 'electron-builder installer', eb);
  }
  return found;
}
