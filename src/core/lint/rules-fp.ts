/**
 * False-positive-risk rules (ABS-FP-*): properties of a legitimate binary that antivirus heuristics, ML models
 * and reputation systems associate with malware. Each fix is legitimate hygiene (sign, add version info, drop
 * packers, ship 64-bit, report the false positive); none is about hiding anything from an engine.
 */
import type { LintFacts, LintRule, PEFacts, RuleOutcome } from './lint.types.ts';
import { fail, pass, skip } from './outcome.ts';

// Sources as collected in the project's research notes (anchors.md section 6, vendors.md).
const ESET_FORM = 'https://support.eset.com/en/how-do-i-whitelist-my-software-with-eset';
const PE_FORMAT = 'https://learn.microsoft.com/en-us/windows/win32/debug/pe-format';
const DAY_SECONDS = 24 * 60 * 60;

function withPE(facts: LintFacts, evaluate: (pe: PEFacts) => RuleOutcome): RuleOutcome {
  if (facts.pe === null) return skip('no PE image was parsed (a package, or a PE larger than --max-parsed-pe-bytes)');
  return evaluate(facts.pe);
}

/** The last path segment (after the last `/` or `!/`), which is what a user sees as the file name. */
export function displayName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

const EXECUTABLE_EXTENSIONS = new Set(['exe', 'scr', 'com', 'pif', 'cpl', 'dll', 'msi', 'bat', 'cmd', 'js', 'vbs', 'ps1', 'hta', 'lnk', 'jar']);
/** Extensions of documents and media a user would open rather than run. */
const DECOY_EXTENSIONS = new Set([
  'pdf', 'doc', 'docx', 'docm', 'xls', 'xlsx', 'xlsm', 'ppt', 'pptx', 'rtf', 'txt', 'csv', 'odt', 'ods', 'odp',
  'jpg', 'jpeg', 'png', 'gif', 'bmp', 'tif', 'tiff', 'svg', 'webp', 'heic',
  'mp3', 'mp4', 'wav', 'avi', 'mov', 'mkv', 'wmv', 'flac',
  'zip', 'rar', '7z', 'htm', 'html', 'xml', 'json', 'eml', 'msg', 'iso',
]);

/** Why a file name looks like a disguised executable (`invoice.pdf.exe`, right-to-left override), or undefined. */
export function doubleExtension(name: string): string | undefined {
  if (/[\u202a-\u202e\u2066-\u2069]/.test(name)) return 'contains a Unicode bidirectional control character that can reorder how the name is displayed';
  const parts = name.split('.');
  if (parts.length < 3) return undefined;
  const last = (parts[parts.length - 1] ?? '').trim().toLowerCase();
  const inner = (parts[parts.length - 2] ?? '').trim().toLowerCase();
  if (!EXECUTABLE_EXTENSIONS.has(last) || !DECOY_EXTENSIONS.has(inner)) return undefined;
  const padded = /\s{2,}\.[^.]+$/.test(name) ? ' with spaces before the real extension' : '';
  return `ends in ".${inner}.${last}"${padded}: it looks like a .${inner} file but runs as a program`;
}

export const FP_RULES: readonly LintRule[] = [
  {
    id: 'ABS-FP-001',
    title: 'Unsigned PE or package',
    category: 'fp-risk',
    defaultSeverity: 'error',
    enabledByDefault: true,
    rationale:
      'Unsigned executables have no publisher reputation: ML and reputation engines flag them far more often (e.g. Wacatac.H!ml on an unsigned uninstaller), and several vendors only allowlist signed software.',
    source: 'https://github.com/BCUninstaller/Bulk-Crap-Uninstaller/issues/770; https://github.com/Squirrel/Squirrel.Windows/issues/218; https://support.avast.com/en-us/article/Threat-Lab-file-whitelist',
    fix: 'Sign every PE (exe, dll, sys, uninstaller, plugin DLLs) with your code-signing certificate and an RFC 3161 timestamp.',
    evaluate(facts) {
      if (facts.signature.status !== 'unsigned') return pass();
      // One finding per fact: inside a signed container, ABS-FP-002 says it (with the container named).
      const c = facts.container;
      if (c !== undefined && c.signatureStatus !== null && c.signatureStatus !== 'unsigned') return skip('inside a signed container: see ABS-FP-002');
      return fail('no Authenticode signature');
    },
  },
  {
    id: 'ABS-FP-002',
    title: 'Unsigned PE inside a signed container',
    category: 'fp-risk',
    defaultSeverity: 'error',
    enabledByDefault: true,
    rationale:
      "A signed MSI, CAB or ZIP does not sign what it carries: once installed, the inner executables stand alone, unsigned, and are what engines flag (NSIS uninstallers, plugin DLLs). VirusTotal's own advice is to look at the inner files.",
    source: 'https://github.com/notepad-plus-plus/notepad-plus-plus/pull/14087; https://github.com/LBNL-ETA/Radiance/issues/43; https://docs.virustotal.com/reference/files-upload-url',
    fix: 'Sign every binary before packaging, then build and sign the container.',
    evaluate(facts) {
      const c = facts.container;
      if (c === undefined) return skip('the file is not inside a container');
      if (c.signatureStatus === null || c.signatureStatus === 'unsigned') return skip(`the container ${c.path} is not signed`);
      if (facts.signature.status !== 'unsigned') return pass();
      return fail(`unsigned inside the signed container ${c.path}`, { container: c.path, containerSignature: c.signatureStatus, member: facts.path.slice(c.path.length).replace(/^!\//, '') });
    },
  },
  {
    id: 'ABS-FP-003',
    title: 'Version information present',
    category: 'fp-risk',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale:
      "A VS_VERSIONINFO resource with CompanyName, ProductName and FileVersion is what Explorer, analysts and allowlisting forms look at to tell who made a file; binaries without it look like throwaway malware builds. ESET's allowlisting questionnaire asks for it explicitly.",
    source: ESET_FORM,
    fix: 'Add a VERSIONINFO resource with CompanyName, ProductName, FileDescription, FileVersion and ProductVersion (rc file, or your build tool\'s version settings).',
    evaluate(facts) {
      return withPE(facts, (pe) => {
        if (pe.versionInfo === null) return fail('the file has no VS_VERSIONINFO resource');
        const empty = (['CompanyName', 'ProductName', 'FileVersion'] as const).filter((k) => {
          const v = pe.versionInfo;
          return (k === 'CompanyName' ? v?.companyName : k === 'ProductName' ? v?.productName : v?.fileVersion) === '';
        });
        return empty.length === 0 ? pass() : fail(`the version information has no ${empty.join(', ')}`, { empty });
      });
    },
  },
  {
    id: 'ABS-FP-004',
    title: 'Application manifest present',
    category: 'fp-risk',
    defaultSeverity: 'note',
    enabledByDefault: true,
    rationale:
      'Without an RT_MANIFEST an executable gets legacy treatment: UAC installer detection may force an elevation prompt for names like setup or update, and file/registry virtualization applies. Well-built applications declare requestedExecutionLevel and supportedOS.',
    source: 'https://learn.microsoft.com/en-us/windows/win32/sbscs/application-manifests',
    fix: 'Embed an application manifest (requestedExecutionLevel asInvoker unless elevation is required, supportedOS entries).',
    evaluate(facts) {
      return withPE(facts, (pe) => {
        if (pe.isDll) return skip('DLLs use the host process\'s manifest');
        return pe.hasManifest ? pass() : fail('the executable has no application manifest (RT_MANIFEST)');
      });
    },
  },
  {
    id: 'ABS-FP-005',
    title: 'No runtime packer or protector',
    category: 'fp-risk',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale:
      'Engines cannot see through packed code, so packers and protectors (UPX, MPRESS, ASPack, PECompact, Themida, VMProtect, …) are detected heuristically whoever uses them. Unpacking is reported to cut detections drastically (BleachBit 23/70 → 6/69 after changing UPX settings); ESET asks which packer is used and why.',
    source: `https://github.com/bleachbit/bleachbit/issues/771; ${ESET_FORM}`,
    fix: 'Ship the binary unpacked (drop UPX/MPRESS from the build); if size matters, compress the installer or download instead. If a protector is required, sign the result and submit it to vendors proactively.',
    evaluate(facts) {
      return withPE(facts, (pe) =>
        pe.packers.length === 0 ? pass() : fail(`packed with ${pe.packers.map((p) => `${p.name} (${p.evidence})`).join('; ')}`, { packers: pe.packers }),
      );
    },
  },
  {
    id: 'ABS-FP-006',
    title: 'No high-entropy section',
    category: 'fp-risk',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale:
      'A section whose bytes are nearly random (Shannon entropy above 7.0 bits per byte by default) holds compressed or encrypted data, the signature of packed malware (Lyda & Hamrock 2007: packed executables average 6.8, encrypted 7.2). Only sections that can hold code or packed data are judged: a non-executable section filled by the resource directory (compressed icons and images), the exception table (.pdata unwind data) or base relocations is not, whatever its name. Sections under 512 bytes are too small to judge.',
    source: 'Lyda & Hamrock, "Using Entropy Analysis to Find Encrypted and Packed Malware", IEEE Security & Privacy 5(2), 2007',
    fix: 'Do not embed compressed or encrypted blobs in code or data sections: ship them as separate files or resources, and avoid packers.',
    evaluate(facts, parameters) {
      return withPE(facts, (pe) => {
        const high = pe.sections.filter((s) => s.name !== '.rsrc' && s.table === null && s.rawSize >= 512 && s.entropy !== null && s.entropy > parameters.entropyThreshold);
        if (high.length === 0) return pass();
        return fail(
          `section${high.length > 1 ? 's' : ''} ${high.map((s) => `${s.name} (entropy ${(s.entropy ?? 0).toFixed(2)})`).join(', ')} above ${parameters.entropyThreshold}`,
          { sections: high.map((s) => ({ name: s.name, entropy: s.entropy, rawSize: s.rawSize })) },
        );
      });
    },
  },
  {
    id: 'ABS-FP-007',
    title: 'No writable and executable section',
    category: 'fp-risk',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale: 'A section that is both writable and executable lets code rewrite itself, which is what unpackers and shellcode loaders need; compilers never emit one for normal code, so heuristics weigh it heavily.',
    source: PE_FORMAT,
    fix: 'Keep code read-only (remove custom section flags such as /SECTION:name,RWE or objcopy --set-section-flags, and packers).',
    evaluate(facts) {
      return withPE(facts, (pe) => {
        const wx = pe.sections.filter((s) => s.writable && s.executable);
        return wx.length === 0 ? pass() : fail(`writable and executable section${wx.length > 1 ? 's' : ''}: ${wx.map((s) => s.name).join(', ')}`, { sections: wx.map((s) => s.name) });
      });
    },
  },
  {
    id: 'ABS-FP-008',
    title: 'No large unrecognised overlay',
    category: 'fp-risk',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale:
      'Data appended after the last section (an overlay) is not part of the image; droppers hide payloads there. Installer payloads (NSIS, Inno Setup, 7-Zip/ZIP/CAB SFX, WiX Burn, .NET single-file, PyInstaller, Nuitka) and the signature are recognised; anything else large is reported. The COFF symbol table of an unstripped MinGW build does not count.',
    source: PE_FORMAT,
    fix: 'Do not append data to executables: ship it as a separate file or embed it as a resource; strip debug symbols (-s).',
    evaluate(facts, parameters) {
      return withPE(facts, (pe) => {
        const o = pe.overlay;
        if (o === null) return pass();
        const size = o.size - o.coffSymbolTableBytes;
        if (size < parameters.largeOverlayBytes) return pass();
        if (o.payload !== null) return pass();
        if (pe.bundles.length > 0) return pass();
        const what = o.inspected ? 'is no recognised installer payload' : 'could not be inspected (not held in memory) and no installer was recognised';
        return fail(`${size} bytes are appended after the image at offset ${o.offset + o.coffSymbolTableBytes} and ${what}`, { offset: o.offset + o.coffSymbolTableBytes, size });
      });
    },
  },
  {
    id: 'ABS-FP-009',
    title: 'No TLS callbacks',
    category: 'fp-risk',
    defaultSeverity: 'note',
    enabledByDefault: true,
    rationale:
      'TLS callbacks run before the entry point, which malware uses to act before a debugger or emulator reaches main; heuristics therefore note them. Some runtimes register them legitimately (MinGW-w64 CRT, Rust std, MSVC thread_local), so this is only a note.',
    source: PE_FORMAT,
    fix: 'Avoid custom TLS callbacks (do initialisation in main or DllMain); if your runtime adds them, this note can be turned off.',
    evaluate(facts) {
      return withPE(facts, (pe) => {
        if (!pe.tls.present) return pass();
        if (pe.tls.callbacks === null) return fail('the TLS directory\'s callback list cannot be read');
        return pe.tls.callbacks === 0 ? pass() : fail(`${pe.tls.callbacks} TLS callback(s) run before the entry point`, { callbacks: pe.tls.callbacks });
      });
    },
  },
  {
    id: 'ABS-FP-010',
    title: '64-bit build',
    category: 'fp-risk',
    defaultSeverity: 'note',
    enabledByDefault: true,
    rationale: '32-bit applications, even when signed properly, draw significantly more false positives, especially from smaller engines (False-Positive-Center).',
    source: 'https://github.com/yaronelh/False-Positive-Center',
    fix: 'Ship a 64-bit (x64/ARM64) build, and separate 32-bit and 64-bit downloads if you must keep 32-bit.',
    evaluate(facts) {
      return withPE(facts, (pe) => (pe.bits === 32 ? fail(`a 32-bit (${pe.machine}) ${pe.isDll ? 'DLL' : 'executable'}`) : pass()));
    },
  },
  {
    id: 'ABS-FP-011',
    title: 'Correct PE checksum',
    category: 'fp-risk',
    defaultSeverity: 'warning',
    enabledByDefault: true,
    rationale:
      'The optional header CheckSum is 0 for most user-mode files, but a non-zero value that does not match means the file was modified after linking (patched, infected, or a packer). Drivers must carry a correct one.',
    source: PE_FORMAT,
    fix: 'Let the linker write the checksum (MSVC /RELEASE; GNU ld writes one) and do not patch binaries after the build.',
    supersedes: ['PE_CHECKSUM_MISMATCH'],
    evaluate(facts) {
      return withPE(facts, (pe) => {
        const { stored, computed } = pe.checksum;
        const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;
        if (stored === 0) return pe.subsystem === 'native' ? fail('a driver without a PE checksum (CheckSum is 0)') : pass();
        return stored === computed ? pass() : fail(`stored checksum ${hex(stored)} differs from the computed ${hex(computed)}`, { stored, computed });
      });
    },
  },
  {
    id: 'ABS-FP-012',
    title: 'Plausible link timestamp',
    category: 'fp-risk',
    defaultSeverity: 'note',
    enabledByDefault: true,
    rationale:
      'A zero or future COFF TimeDateStamp is a trait of tampered or hand-made binaries. Reproducible builds (MSVC /Brepro, ld --no-insert-timestamp) write 0 or a hash on purpose; turn this note off for them.',
    source: PE_FORMAT,
    fix: 'Let the linker write the build time, or a fixed past SOURCE_DATE_EPOCH for reproducible builds.',
    evaluate(facts, parameters) {
      return withPE(facts, (pe) => {
        if (pe.linkTimestamp === 0) return fail('the link timestamp is 0');
        const at = Math.floor(parameters.at.getTime() / 1000);
        if (pe.linkTimestamp > at + DAY_SECONDS) return fail(`the link timestamp ${new Date(pe.linkTimestamp * 1000).toISOString()} is in the future (audit time ${parameters.at.toISOString()})`);
        return pass();
      });
    },
  },
  {
    id: 'ABS-FP-013',
    title: 'No double extension',
    category: 'fp-risk',
    defaultSeverity: 'error',
    enabledByDefault: true,
    rationale: 'Names like invoice.pdf.exe hide the real extension when Explorer hides known ones: the classic phishing disguise. Engines have dedicated detections for it (Avira HEUR-DBLEXT).',
    source: 'Avira user manual (HEUR-DBLEXT detections)',
    fix: 'Rename the file so its only extension is the real one (e.g. invoice-viewer.exe).',
    evaluate(facts) {
      const name = displayName(facts.path);
      const why = doubleExtension(name);
      return why === undefined ? pass() : fail(`the file name "${name}" ${why}`);
    },
  },
  {
    id: 'ABS-FP-014',
    title: 'No installer or one-file bundle that unpacks executables to a temporary folder',
    category: 'fp-risk',
    defaultSeverity: 'note',
    enabledByDefault: true,
    rationale:
      'Self-extractors write executables into %TEMP% and run them, which is dropper behaviour: Nuitka --onefile drew 22 detections against 2 for standalone, Microsoft suspended a signing account over a onefile app that "drops Python files into the temporary directory along with an executable", PyInstaller bootloaders are flagged repeatedly.',
    source: 'https://github.com/Nuitka/Nuitka/issues/2291; https://github.com/Nuitka/Nuitka/issues/3842; https://github.com/pyinstaller/pyinstaller/issues/4852',
    fix: 'Prefer a regular installer (MSI) or a folder distribution (PyInstaller --onedir, Nuitka --standalone); sign the bundle and every binary inside it, and submit new releases to vendors.',
    evaluate(facts) {
      return withPE(facts, (pe) =>
        pe.bundles.length === 0 ? pass() : fail(`${pe.bundles.map((b) => `${b.name} (${b.evidence})`).join('; ')}: it unpacks executables to a temporary folder at run time`, { bundles: pe.bundles }),
      );
    },
  },
];
