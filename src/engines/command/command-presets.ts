/**
 * Presets for known command-line scanners (`--engines defender`, …). Each states its source.
 * Only `clamscan` runs in our tests (a real scanner on Linux CI); the vendor presets follow the
 * vendors' documentation and have not been run here: check them against your installation
 * (`absolve scan --engines <preset>` on a test file) and pass your own configuration to
 * createCommandEngine where they differ. Whatever the preset, the command engine scans a private
 * copy of each file and never reports "clean" unless the scanner's exit code (and, where set,
 * its output) says so.
 */
import type { CommandEngineOptions } from './command-engine.ts';

export type CommandPresetName = 'defender' | 'eset' | 'sophos' | 'kaspersky' | 'clamscan';

export const COMMAND_PRESETS: Readonly<Record<CommandPresetName, CommandEngineOptions & { source: string }>> = {
  /**
   * Microsoft Defender Antivirus, `MpCmdRun.exe -Scan -ScanType 3 -File <file> -DisableRemediation`
   * (ScanType 3 = file and directory custom scan; -DisableRemediation = report only, no quarantine).
   * Exit code 0 = no threat, 2 = threat found. Detections are listed as `Threat : <name>` lines.
   * On newer platforms MpCmdRun also lives under C:\ProgramData\Microsoft\Windows Defender\Platform\<version>\.
   */
  defender: {
    name: 'defender',
    engine: 'Microsoft',
    command: 'C:\\Program Files\\Windows Defender\\MpCmdRun.exe',
    args: ['-Scan', '-ScanType', '3', '-File', '{file}', '-DisableRemediation'],
    exitCodes: { clean: [0], detected: [2] },
    detectionPattern: /^Threat\s{1,40}: (?<name>\S.{0,199})$/,
    source:
      'https://learn.microsoft.com/en-us/defender-endpoint/command-line-arguments-microsoft-defender-antivirus (syntax); exit codes 0/2 as used by dotnet/sign#142 and billziss-gh/avm',
  },
  /**
   * ESET Command-line scanner (`ecls.exe`, ESET Endpoint/Server Security for Windows). Exit codes:
   * 0 no threat found, 1 threat found and cleaned, 10 some files could not be scanned, 50 threat
   * found, 100 error. Detections are printed as `name="<file>", threat="<name>", action="…", info="…"`.
   * On Linux, ESET Server Security's `odscan` reports the same codes: configure it as a custom command.
   */
  eset: {
    name: 'eset',
    engine: 'ESET-NOD32',
    command: 'C:\\Program Files\\ESET\\ESET Security\\ecls.exe',
    args: ['{file}'],
    exitCodes: { clean: [0], detected: [1, 50] },
    detectionPattern: /^name="[^"]{0,1000}", threat="(?<name>(?!is OK")[^"]{1,200})"/,
    source: 'ESET online help (help.eset.com), "Command-line scanner" page of ESET Endpoint/Server Security for Windows: exit codes',
  },
  /**
   * Sophos Anti-Virus for Linux/UNIX `savscan` (man savscan, "Return codes"): 0 no errors and no
   * threats, 1 interrupted, 2 error preventing further execution, 3 threats found. Detections:
   * `>>> Virus '<name>' found in file <file>`.
   */
  sophos: {
    name: 'sophos',
    engine: 'Sophos',
    command: '/opt/sophos-av/bin/savscan',
    args: ['-ss', '-archive', '{file}'],
    exitCodes: { clean: [0], detected: [3] },
    detectionPattern: /^>>> Virus (?:fragment )?'(?<name>[^']{1,200})' found in file/,
    version: { args: ['-v'], pattern: /^Product version\s{0,20}: (?<version>\S{1,40})/ },
    source: 'Sophos Anti-Virus for Linux configuration guide, "Appendix: On-demand scan return codes"; man savscan',
  },
  /**
   * Kaspersky Endpoint Security for Linux, `kesl-control --scan-file <file> --action Skip` (a
   * temporary Scan_File task; Skip = report only). Its exit code says whether the task ran, not
   * what it found, so a clean verdict also needs the summary line saying nothing was detected;
   * a non-zero detected count without a name is reported as an unnamed detection.
   */
  kaspersky: {
    name: 'kaspersky',
    engine: 'Kaspersky',
    command: '/opt/kaspersky/kesl/bin/kesl-control',
    args: ['--scan-file', '{file}', '--action', 'Skip'],
    exitCodes: { clean: [0], detected: [] },
    detectionPattern: /^\s{0,8}(?:Threat name|Threat|Detected object name)\s{0,20}:\s{0,8}(?<name>[A-Za-z][^\s,]{2,199})$/,
    detectedPattern: /^\s{0,8}(?:Total detected objects|Threats found|Infected objects|Detected objects)\s{0,40}:\s{0,8}[1-9]/i,
    cleanPattern: /^\s{0,8}(?:Total detected objects|Threats found|Detected objects)\s{0,40}:\s{0,8}0\s{0,8}$/i,
    source: 'https://support.kaspersky.com/KES4Linux/11/en-US/161291.htm (kesl-control --scan-file, Scan_File task)',
  },
  /**
   * ClamAV's clamscan (clamscan(1) "RETURN CODES": 0 no virus found, 1 virus(es) found, 2 error);
   * detections as `<file>: <name> FOUND`. The dedicated `clamav` engine (clamd or clamscan) is the
   * usual choice; this preset exists for symmetry and is how the command engine is tested.
   */
  clamscan: {
    name: 'clamscan',
    engine: 'ClamAV',
    command: 'clamscan',
    args: ['--no-summary', '{file}'],
    exitCodes: { clean: [0], detected: [1] },
    detectionPattern: /: (?<name>[^\s:]{1,200}) FOUND$/,
    version: { args: ['--version'], pattern: /^ClamAV (?<version>[^\s/]{1,40})/ },
    source: 'clamscan(1), RETURN CODES',
  },
};

/** The preset names, for `--engines` parsing and help text. */
export const COMMAND_PRESET_NAMES = Object.keys(COMMAND_PRESETS) as CommandPresetName[];

/** True when `name` is a command-scanner preset (`defender`, `eset`, `sophos`, `kaspersky`, `clamscan`). */
export function isCommandPreset(name: string): name is CommandPresetName {
  return Object.hasOwn(COMMAND_PRESETS, name);
}
