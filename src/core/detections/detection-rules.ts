/**
 * The detection-name rules: what each pattern means, how sure we are, and where it is written down.
 *
 * Research behind the table: /work/shared/research/vendors.md ("Detection-name patterns that
 * signal generic / ML / heuristic verdicts") and vendors.json; patterns the research did not cover
 * cite the vendor page found for them, or `null` when the rule is our reading of observed names
 * (the explanation then says so).
 *
 * Order matters, first match wins:
 *   1. PUA names. A potentially-unwanted verdict changes who decides (the vendor's PUA policy,
 *      e.g. ESET's separate PUA dispute path) and what helps, so it wins over ML/heuristic markers;
 *      `generic` is still true when the name also carries a generic marker.
 *   2. Engine-specific rules (only for the listed canonical engines): verdict strings that mean
 *      something only for that engine (`Unsafe`, `Detected`, `MALICIOUS`, `suspicious`…).
 *   3. Vendor name formats that identify their scheme on any engine (`Gen:Variant.`, `HEUR:`,
 *      `Artemis!`, `win/malicious_confidence_`…); OEM engines and unknown engines reuse them.
 *   4. Engine-independent markers: ML/AI, reputation, heuristic, catch-all names, generic words.
 *   5. Family names (a malware type or platform plus a name that is none of the above), then
 *      names that carry only a type/platform and an id.
 * A name no rule matches is 'unknown'.
 *
 * Backtracking safety: every pattern is either anchored or built from literals, character classes
 * and single quantifiers with no two adjacent quantifiers over overlapping classes; no nested
 * quantifiers. test/core/detections/detection-rules.test.ts runs each one against 10,000-character
 * adversarial strings and checks the sources for nested quantifiers.
 */
import type { DetectionKind } from './detection.types.ts';

export interface DetectionRule {
  /** Stable identifier (tests, debugging). */
  readonly id: string;
  /** Canonical engine names (see engine-names.ts) the rule applies to, or '*' for any engine. */
  readonly engines: readonly string[] | '*';
  readonly pattern: RegExp;
  readonly kind: DetectionKind;
  /** 'if-marked': generic when the name also carries a generic marker (GENERIC_MARKER), for PUA rules. */
  readonly generic: boolean | 'if-marked';
  readonly explanation: string;
  readonly source: string | null;
  /**
   * How the family is found. Default: the pattern's named group `family`, if any. 'tokens': the
   * first token of the name that is not a type, platform, generic word or variant code.
   * 'require-tokens': as 'tokens', and the rule only matches when such a token exists.
   * A family is only reported for non-generic results. A named group `confidence` (0–100) is
   * reported as the confidence.
   */
  readonly family?: 'tokens' | 'require-tokens';
}

/** `(?<![A-Za-z0-9])(?:a|b)(?![A-Za-z0-9])`: whole words, where `_ . - : / ! @ ( ) [ ]` and spaces separate. */
function anyWord(words: readonly string[]): string {
  return String.raw`(?<![A-Za-z0-9])(?:${words.join('|')})(?![A-Za-z0-9])`;
}

// ---------------------------------------------------------------------------------------------
// Word lists (also used by the family tokenizer in classify-detection.ts)
// ---------------------------------------------------------------------------------------------

/**
 * Names that look like families but are catch-all buckets many unrelated files land in.
 * Documented by the research: Wacatac, Sabsik (community reading, vendors.md), Bearfoos, Malgent,
 * Bulta (anchors.md §6 issue threads), Wacapew (vendors.md), MSILZilla (vendors.md, BitDefender).
 * Observed but not documented in our sources: the other Microsoft names below (usually with
 * `!rfn`/`!ml`/`.gen` variants), BitDefender `Gen:Variant.<name>` buckets, Quick Heal
 * `Mauvaise`, Kaspersky `Convagent`.
 */
export const CATCHALL_NAMES: readonly string[] = [
  'Wacatac', 'Wacapew', 'Sabsik', 'Bearfoos', 'Malgent', 'Bulta',
  'Tiggre', 'Occamy', 'Skeeyah', 'Zpevdo', 'Casdet', 'Phonzy',
  'Razy', 'Zusy', 'Ulise', 'Mikey', 'Barys', 'Jaik', 'Lazy', 'Midie', 'Doina', 'Fragtor', 'Tedy', 'Marsilia', 'Bulz', 'Graftor', 'Johnnie',
  'MSILZilla', 'MSILHeracles', 'Heracles',
  'Mauvaise', 'Convagent',
];

/** Words that mark a signature written for many files rather than one family. */
export const GENERIC_WORDS: readonly string[] = [
  'Gen', 'gen[0-9]+', 'Generic[A-Za-z0-9]*', 'Generik', 'GenKryptik', 'GenCBL', 'GenAsa', 'Gencirc', 'Genetic',
  'Agent', 'Agen', 'Kryptik', 'Krypt', 'Crypt', 'Cryptor', 'Injector', 'Inject[0-9]*', 'Obfuscated', 'Obfuscator', 'Obfus',
  'Malware', 'Undef', 'Undefined', 'Siggen[0-9]*', 'MulDrop[0-9]*', 'Igent',
];

/** Words of potentially-unwanted / unsafe application names, across vendors. */
export const PUA_WORDS: readonly string[] = [
  'PUA', 'PUP', 'PUADlManager', 'PUAMiner', 'PUABundler', 'PUAAdvertising', 'PUATorrent', 'not-a-virus',
  'Adware', 'Adw', 'Riskware', 'RiskTool', 'HackTool', 'HKTL', 'GrayWare', 'Greyware', 'Unwanted',
  'Bundler', 'SoftwareBundler', 'BrowserModifier', 'MonitoringTool', 'RemoteAccess', 'RemoteAdmin',
  'PSWTool', 'NetTool', 'Toolbar', 'WebToolbar', 'Pornware', 'Dialer', 'ApplicUnwnt', 'ApplicUnsaf',
];

/**
 * Malware types, platforms and prefixes that frame a family name but are not one (CARO-style
 * `Type:Platform/Family`, Kaspersky `Type.Platform.Family`, Trend `TYPE_FAMILY`, …).
 */
export const FRAME_WORDS: readonly string[] = [
  // types
  'Trojan', 'Troj', 'Trj', 'TR', 'TrojWare', 'Backdoor', 'BDS', 'BKDR', 'Worm', 'Virus', 'Ransom', 'Ransomware', 'Filecoder',
  'LockScreen', 'Spyware', 'Spy', 'TSPY', 'TrojanSpy', 'Infostealer', 'Stealer', 'PWS', 'PSW', 'Banker', 'Downloader', 'Dldr',
  'TrojanDownloader', 'Dropper', 'TrojanDropper', 'TrojanProxy', 'TrojanClicker', 'TrojanNotifier', 'Exploit', 'Rootkit',
  'Keylogger', 'CoinMiner', 'Miner', 'BitCoinMiner', 'RAT', 'Bot', 'IRCBot', 'Botnet', 'Loader', 'Email', 'Net', 'P2P',
  'VirTool', 'Constructor', 'DDoS', 'Spammer', 'Spoofer', 'Rogue', 'Hoax', 'Joke', 'Program', 'Tool',
  // platforms
  'Win', 'Win16', 'Win32', 'Win64', 'W32', 'W64', 'WinNT', 'MSIL', 'DOS', 'Linux', 'Unix', 'Android', 'AndroidOS', 'Andr',
  'MacOS', 'OSX', 'Script', 'JS', 'VBS', 'VBA', 'HTML', 'PHP', 'Python', 'Perl', 'Java', 'NSIS', 'AutoIt', 'BAT',
  'PowerShell', 'O97M', 'W97M', 'X97M', 'Multi', 'MultiOS',
];

/** Words of ESET's phrasing and engine suffix tags; never a family. */
export const NEVER_FAMILY_WORDS: readonly string[] = [
  'variant', 'potentially', 'unwanted', 'unsafe', 'application', 'suspicious', 'trojan', 'worm', 'virus',
  'MTB', 'MSR', 'origin', 'susgen', 'score', 'confidence', 'malicious', 'detected', 'probably', 'Static', 'Optional',
];

/** Generic markers that make a PUA name generic too (rules with generic: 'if-marked'). */
export const GENERIC_MARKER = new RegExp(
  [String.raw`!ml\b`, anyWord(['Gen', 'Generic[A-Za-z0-9]*', 'HEUR[A-Za-z]*', 'ML', 'AI', 'susgen', 'Reputation', 'FileRep[A-Za-z]*', ...CATCHALL_NAMES])].join('|'),
  'i',
);

/** Engines that license the BitDefender engine and repeat its names (vendors.json notes, product brief). */
export const BITDEFENDER_OEM_ENGINES: readonly string[] = [
  'BitDefender', 'Emsisoft', 'GData', 'eScan', 'MAX', 'CTX', 'Arcabit', 'ALYac', 'VIPRE', 'Ad-Aware', 'WithSecure',
];

// ---------------------------------------------------------------------------------------------
// Sources (addresses and references from vendors.md / vendors.json unless noted)
// ---------------------------------------------------------------------------------------------

const SRC = {
  microsoftNaming: 'https://learn.microsoft.com/en-us/defender-xdr/malware-naming',
  caroFamily: 'CARO naming scheme Type:Platform/Family.Variant, as described at https://learn.microsoft.com/en-us/defender-xdr/malware-naming',
  microsoftMl:
    "community reading (vendors.md: trojan-killer.net, wipersoft.com, forum posts, many GitHub issues); Microsoft's naming page https://learn.microsoft.com/en-us/defender-xdr/malware-naming does not list !ml",
  catchall: 'vendors.md (Wacatac/Sabsik as catch-all names: community) and anchors.md §6 (Bearfoos, Malgent, Bulta in issue threads)',
  symantecReputation: 'https://knowledge.broadcom.com/external/article/409072/additional-details-around-the-technologi.html',
  symantecAdvML: 'Symantec writeup for Heur.AdvML (quoted in a WineHQ bug) and the Broadcom AML KB (vendors.md)',
  symantecTrojanGen: 'Symantec attack-signature page for Trojan.Gen (vendors.md)',
  symantecCommunity: 'community only (vendors.md): no Symantec writeup found',
  // Found for this module, not in vendors.md:
  symantecSuspiciousCloud: 'https://support.norton.com/sp/en/us/home/current/solutions/v113367483_EndUserProfile_en_us',
  mcafeeGTI: 'https://kc.mcafee.com/corporate/index?page=content&id=KB65525',
  // Found for this module, not in vendors.md:
  mcafeeRealProtect:
    'https://docs.mcafee.com/bundle/endpoint-security-10.6.0-adaptive-threat-protection-product-guide-windows/page/GUID-F2E710FF-2443-44E2-9DBC-758C78705B9A.html',
  skyhigh:
    'https://success.skyhighsecurity.com/PDFs/KB_Migration/Malware_Submission_-_How_to_submit_false_positive%2F%2Fnegative_samples_for_review/Support_-_Workflow_for_Malware_Sample_Submission',
  kasperskyHeuristic: 'https://securelist.com/threats/heuristic-and-proactive-detections/',
  kasperskyUDS:
    'vendors.md: Urgent Detection System, named in the Kaspersky OpenTIP docs; prefix meaning for files not defined (seen in https://github.com/fleetdm/fleet/issues/5049)',
  fsecureHeuristic: 'https://www.f-secure.com/v-descs/heuristic.shtml',
  fsecureGeneric: 'https://www.f-secure.com/v-descs/other_w32_generic.shtml',
  bitdefenderOEM: 'github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (vendors.json: Arcabit, ALYac, Emsisoft, GData, eScan, VIPRE, CTX notes)',
  avastGen: 'community (vendors.md): Avast forum answer; no official definition',
  // Found for this module, not in vendors.md:
  avastFileRep: 'http://www.avast.com/en-ca/filerep',
  avira: 'Avira user manual (vendors.md): HEUR/ heuristic hit, PCK/ unusual runtime packer, HEUR-DBLEXT/ hidden double extension',
  esetUnsafe: 'https://help.eset.com/glossary/en-US/unsafe_application.html',
  esetSuspicious: 'https://help.eset.com/ees_mac/8/en-US/protections_remote.html',
  sophosML: 'https://docs.sophos.com/central/customer/help/en-us/ManageYourProducts/Alerts/ThreatAdvice/DealPUAs/DealPUAAlerts/index.html',
  sophosGenericPUA: 'https://www.sophos.com/en-us/support/knowledgebase/116232.aspx',
  sophosSusMal: 'Sophos KB 116232 and threat-center pages (vendors.md)',
  trendGen: 'https://www.trendmicro.com/vinfo/us/threat-encyclopedia/malware/troj_gen',
  // Found for this module, not in vendors.md:
  trendGeneric: 'https://success.trendmicro.com/solution/1055147-information-about-generic-detection-possible-cryp-mal-in-trend-micro-products',
  trendSuspiciousGen: 'observed on TrendMicro-HouseCall only (vendors.md: obsidianplatform/Obsidian-Qt wiki)',
  crowdstrike: 'https://www.crowdstrike.com/blog/crowdstrike-machine-learning-virustotal/',
  sentinelone: 'https://www.sentinelone.com/blog/decrypting-sentinelones-detection-an-in-depth-look-at-our-real-time-cwpp-static-ai-engine/',
  cylance:
    'https://docs.blackberry.com/en/unified-endpoint-security/blackberry-ues/administration/administration/Managing-threats-detected-by-Protect-Desktop/Protection_-_Threats/Unsafe_and_Abnormal_Files',
  cynet: 'observed in VirusTotal JSON (vendors.md: EICAR gives "Malicious (score: 99)"); no Cynet documentation found',
  elastic: "Elastic's 'Malicious File Detected' rule investigation guide (vendors.md); the exact VirusTotal strings are observed, not documented",
  trapmine: "community (vendors.md: GitHub issues, one quoting Trapmine's ML blog)",
  // Found for this module (the address vendors.md paraphrases):
  malwarebytesAI: 'https://www.malwarebytes.com/fr/blog/detections/malware-ai',
  malwarebytesAnomalous: 'https://www.malwarebytes.com/blog/detections/machinelearning-anomalous-100',
  bkav: 'community (vendors.md: many GitHub issues, e.g. https://github.com/tumic0/GPXSee/issues/173)',
  maxsecure: 'community (vendors.md): https://github.com/restic/restic/issues/4430, https://github.com/bleachbit/bleachbit/issues/948',
  rising: 'community (vendors.md: GitHub issues)',
  paloalto: 'community (vendors.md: a GitHub issue showing Palo Alto Networks, Known Signatures: generic.ml)',
  google: 'https://github.com/yaronelh/False-Positive-Center/issues/45',
  drweb: 'http://vms.drweb.com/categories/',
  clamavNaming: 'https://docs.clamav.net/manual/Signatures/SignatureNames.html',
  clamavHeuristics: 'ClamAV man page / patch notes (vendors.md)',
  clamavSanesecurity: 'https://github.com/Cisco-Talos/clamav/issues/529',
  emsisoft: 'Emsisoft Malware Library (vendors.md)',
  acronis: "VirusTotal display name 'Acronis (Static ML)' (vendors.md)",
} as const;

// ---------------------------------------------------------------------------------------------
// Explanations shared by several rules
// ---------------------------------------------------------------------------------------------

const FIX_GENERIC =
  'Sign the file with your code-signing certificate, give it version information, and submit it to the vendor as a false positive; expect to repeat this for new builds until the signer has reputation.';

const EXPLAIN = {
  ml: `A machine-learning model scored the file as malicious without matching a known threat; such verdicts often hit new, unsigned or packed builds. ${FIX_GENERIC}`,
  heuristic: `A heuristic or behaviour analyser found traits it associates with malware (packing, unusual structure, suspicious API use), not a known threat. ${FIX_GENERIC}`,
  reputation:
    'The file was flagged because it is new or rare in the vendor\'s cloud, not because it matched malware. Signing every file with the same certificate and letting downloads accumulate builds reputation; a false-positive submission clears this build sooner.',
  genericSignature: `A generic signature meant to catch many variants matched the file; it names no researched family. ${FIX_GENERIC}`,
  catchall: `The family part is a catch-all bucket that many unrelated files are filed under (often by automation), so it says little about your file. ${FIX_GENERIC}`,
  pua:
    'The vendor puts the file in a potentially-unwanted or riskware category (adware, bundler, remote-access or hacking tool), not malware. If the program bundles no offers, discloses what it does and uninstalls cleanly, dispute the classification with the vendor and ship it signed.',
  family:
    'The name points to a specific malware family that the vendor\'s analysts researched, not a generic or ML verdict. Rebuild on a clean machine and check your dependencies; if the build is clean, submit it to the vendor as a false positive with the VirusTotal link.',
  categoryOnly: `The name gives only a malware category and an internal id, no family, which is typical of generic or automated detections. ${FIX_GENERIC}`,
} as const;

// ---------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------

export const DETECTION_RULES: readonly DetectionRule[] = [
  // 1. PUA names ------------------------------------------------------------------------------
  {
    id: 'kaspersky-pua-heuristic',
    engines: '*',
    pattern: /^(?:not-a-virus:(?:HEUR|UDS|PDM|VHO):|(?:HEUR|UDS|PDM|VHO):(?:AdWare|RiskTool|NetTool|PSWTool|RemoteAdmin|WebToolbar|Pornware|HackTool|Downloader|Monitor|Server-[A-Za-z]+|Client-[A-Za-z]+)\b)/i,
    kind: 'pup',
    generic: true,
    explanation:
      'Kaspersky\'s "not-a-virus" class means riskware or adware rather than malware, and the HEUR/UDS/PDM part says a heuristic or cloud system made the call, not a named product signature. If the program has no bundled offers or hidden behaviour, submit it for re-analysis via Kaspersky OpenTIP and consider the Kaspersky Allowlist Program.',
    source: SRC.kasperskyHeuristic,
  },
  {
    id: 'kaspersky-pua',
    engines: '*',
    pattern: /^(?:not-a-virus:|(?:AdWare|RiskTool|NetTool|PSWTool|RemoteAdmin|WebToolbar|Pornware|HackTool)\.)/i,
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation:
      'Kaspersky\'s "not-a-virus" class means the file is riskware or adware (legitimate software that can be misused or is unwanted), not malware. If the program has no bundled offers or hidden behaviour, submit it for re-analysis via Kaspersky OpenTIP and consider the Kaspersky Allowlist Program.',
    source: SRC.kasperskyHeuristic,
  },
  {
    id: 'eset-potentially-unwanted',
    engines: '*',
    pattern: /\bpotentially (?:unwanted|unsafe)\b/i,
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation:
      'ESET classifies the file as a potentially unwanted application (bundling, ads) or potentially unsafe application (legitimate tools such as remote access that can be misused), not malware. Use the PUA dispute path in ESET KB141 if the category does not fit, and ESET\'s whitelisting questionnaire for future releases.',
    source: SRC.esetUnsafe,
  },
  {
    id: 'sophos-generic-pua',
    engines: '*',
    pattern: /^Generic (?:ML |Reputation )?PUA\b/i,
    kind: 'pup',
    generic: true,
    explanation:
      'Sophos "Generic PUA" is a cloud (Live Protection) detection of potentially unwanted behaviour, with ML or reputation variants; it names no product. Submit the file to SophosLabs for a named classification or a correction, and sign it.',
    source: SRC.sophosGenericPUA,
  },
  {
    id: 'avira-pua',
    engines: ['Avira', 'WithSecure'],
    pattern: /^(?:ADWARE|ADSPY|APPL|PUA|SPR|JOKE|DIAL)\//,
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation:
      'Avira\'s ADWARE/, APPL/, PUA/ and SPR/ prefixes are its "extended threat categories": applications that may involve a risk or are unwanted, not malware. If the category does not fit, submit the file to Avira as a false positive and ship it signed.',
    source: SRC.avira,
  },
  {
    id: 'k7-pua',
    engines: '*',
    pattern: /^(?:Riskware|Adware|Unwanted-Program|Hacktool|PUP)\s?\(\s?[0-9a-f]{5,}\s?\)$/i,
    kind: 'pup',
    generic: true,
    explanation:
      'K7 names carry only a category and an internal signature id; this one puts the file in a riskware/unwanted category without naming a product. Submit the file to K7 as a false positive and ship it signed.',
    source: null,
  },
  {
    id: 'avast-pua',
    engines: '*',
    pattern: /\[(?:PUP|Adw)\]$/i,
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation:
      'Avast/AVG tag the name [PUP] or [Adw]: a potentially unwanted program or adware, not malware. Submit the file through Avast\'s false-positive form and consider the Avast Threat Lab whitelisting (including by digital signature).',
    source: null,
  },
  {
    id: 'bitdefender-application',
    engines: BITDEFENDER_OEM_ENGINES,
    pattern: /^Application\./,
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation:
      'BitDefender-engine names that start with "Application." describe potentially unwanted applications rather than malware. Submit the file to BitDefender; engines that license it (Emsisoft, GData, eScan, VIPRE…) usually follow its fix.',
    source: null,
  },
  {
    id: 'drweb-pua',
    engines: ['DrWeb'],
    pattern: /^(?:Program|Adware|Tool|Joke|Dialer)\./,
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation:
      'Dr.Web\'s Program., Adware. and Tool. classes are potentially unwanted or dangerous programs, not viruses. Submit the file to Dr.Web (category "False detection") and ship it signed.',
    source: SRC.drweb,
  },
  {
    id: 'pua-type',
    engines: '*',
    pattern: new RegExp(String.raw`^(?:Program|Tool|Joke|Misleading|SettingsModifier|PUA[A-Za-z]*):|` + anyWord(PUA_WORDS), 'i'),
    kind: 'pup',
    generic: 'if-marked',
    family: 'tokens',
    explanation: EXPLAIN.pua,
    source: SRC.microsoftNaming,
  },

  // 2. Engine-specific verdicts -----------------------------------------------------------------
  {
    id: 'microsoft-behavior',
    engines: ['Microsoft'],
    pattern: /^Behavior:/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Microsoft\'s "Behavior" type comes from watching what the program did when it ran, not from a file signature. Submit the file to Microsoft as a software developer (WDSI) and sign it; unsigned helpers that are dropped and started from %TEMP% often trigger this.',
    source: SRC.microsoftNaming,
  },
  {
    id: 'microsoft-internal-suffix',
    engines: ['Microsoft'],
    pattern: /!(?:rfn|cl|bit|pfn|dha|plock)$/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'Microsoft documents !rfn, !cl, !bit, !pfn, !dha and !plock only as "an internal category used to refer to some threats"; in practice they appear on catch-all names that change with a rebuild (e.g. Bulta!rfn). Submit the file to Microsoft as a software developer and sign it; Microsoft runs no allowlist programme, consistent signing is what helps.',
    source: SRC.microsoftNaming,
  },
  {
    id: 'symantec-trojan-gen-mbt',
    engines: ['Symantec'],
    pattern: /^Trojan\.Gen\.MBT$/i,
    kind: 'generic-signature',
    generic: true,
    explanation: `Symantec's Trojan.Gen.MBT is very common on VirusTotal against benign unsigned builds; it is a generic detection, not a family. Submit it through SymSubmit ("Clean software incorrectly detected", no archive password), sign the file, and resubmit each release: Symantec whitelisting is per file.`,
    source: SRC.symantecCommunity,
  },
  {
    id: 'symantec-trojan-gen',
    engines: ['Symantec'],
    pattern: /^Trojan\.Gen\b/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'Symantec\'s Trojan.Gen.* is a generic detection for varied trojans that have no specific definition. Submit it through SymSubmit ("Clean software incorrectly detected", no archive password) and sign the file; Symantec whitelisting is per file, so new versions need new submissions.',
    source: SRC.symantecTrojanGen,
  },
  {
    id: 'mcafee-generic-rx',
    engines: ['McAfee'],
    pattern: /^GenericR[A-Z0-9-]*!/i,
    kind: 'generic-signature',
    generic: true,
    explanation: `McAfee's GenericR… names are generic DAT signatures, not a researched family. Email the file to McAfee with a subject starting "FALSE" (or use the Trellix portal), sign it, and consider McAfee's false-positive test rig for future releases.`,
    source: null,
  },
  {
    id: 'eset-suspicious',
    engines: ['ESET-NOD32'],
    pattern: /\bsuspicious\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'ESET\'s "suspicious application" category covers programs compressed with packers or protectors that malware often uses; ESET says these are behaviour-based and may be false. Ship an unpacked build if you can, sign it, and submit it to samples@eset.com with subject "False positive".',
    source: SRC.esetSuspicious,
  },
  {
    id: 'avira-heuristic',
    engines: ['Avira', 'WithSecure'],
    pattern: /^(?:HEUR-DBLEXT|HEUR|PCK)\//i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Avira\'s HEUR/ is a heuristic hit, PCK/ an unusual runtime packer and HEUR-DBLEXT/ a hidden double extension; none is a known threat. Avoid exotic packers, give the file a plain extension, sign it and submit it to Avira as a false positive.',
    source: SRC.avira,
  },
  {
    id: 'cylance-unsafe',
    engines: ['Cylance'],
    pattern: /^(?:Unsafe|Abnormal)$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Cylance (Arctic Wolf) is a machine-learning engine: "Unsafe" means a model score of 60–100, "Abnormal" 1–59, with no signature or family behind it. Sign the file and email the VirusTotal link to virustotal@arcticwolf.com; its support has said it acts mainly on customer reports.',
    source: SRC.cylance,
  },
  {
    id: 'google-detected',
    engines: ['Google'],
    pattern: /^Detected$/i,
    kind: 'unknown',
    generic: true,
    explanation:
      'Detected is the only verdict string Google shows on VirusTotal, so it says nothing about why. Email the VirusTotal link to google-at-virustotal@google.com and sign the file; one report saw Google and ClamAV verdicts clear together.',
    source: SRC.google,
  },
  {
    id: 'deepinstinct-malicious',
    engines: ['DeepInstinct'],
    pattern: /^MALICIOUS$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Deep Instinct reports only MALICIOUS, a verdict of its deep-learning static classifier (our reading; not in the research sources) with no family behind it. Email the VirusTotal link to vt-fps-requests@deepinstinct.com and sign the file.',
    source: null,
  },
  {
    id: 'secureage-malicious',
    engines: ['APEX'],
    pattern: /^Malicious$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'SecureAge APEX reports a bare "Malicious" verdict with no family; APEX is SecureAge\'s AI-based engine (our reading; not in the research sources). Report it through SecureAge\'s false-positive form with the VirusTotal link, and sign the file.',
    source: null,
  },
  {
    id: 'acronis-suspicious',
    engines: ['Acronis'],
    pattern: /^suspicious$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Acronis appears on VirusTotal as "Acronis (Static ML)": a static machine-learning engine whose only verdict is "suspicious". Email the VirusTotal link to virustotal-falsepositive@acronis.com and sign the file.',
    source: SRC.acronis,
  },
  {
    id: 'bkav-w32',
    engines: ['Bkav'],
    pattern: /^H?W(?:32|64)\.(?!AIDetect)/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Bkav\'s W32.* verdicts (W32.Malware.<hex>, HW32.Packed…) are AI and packer heuristics and a notorious source of false positives. Email fpreport@bkav.com with the VirusTotal link, but developers report few answers; signing and reputation matter more.',
    source: SRC.bkav,
  },
  {
    id: 'arcabit-bitdefender-id',
    engines: ['Arcabit'],
    pattern: /\.D(?=[0-9A-F]*[0-9])[0-9A-F]{3,}$/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'Arcabit repeats BitDefender\'s detection with the numeric id in hex (e.g. Trojan.Razy.D1E240 for Gen:Variant.Razy.…), so it is a generic BitDefender-engine verdict. Submit the file to BitDefender first; the fix usually reaches Arcabit and the other BitDefender-engine products.',
    source: SRC.bitdefenderOEM,
  },
  {
    id: 'drweb-origin',
    engines: ['DrWeb'],
    pattern: /\.origin$/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'Dr.Web\'s ".origin" suffix means Origins Tracing matched the file: a generic method for new variants of known families, not a signature for this file. Submit it at vms.drweb.com/sendvirus with the category "False detection by Origins Tracing".',
    source: SRC.drweb,
  },
  {
    id: 'drweb-generic',
    engines: ['DrWeb'],
    pattern: new RegExp(anyWord(['Siggen[0-9]*', 'MulDrop[0-9]+', 'DownLoader[0-9]+', 'Packed[0-9]+', 'Inject[0-9]+', 'Starter[0-9]*']), 'i'),
    kind: 'generic-signature',
    generic: true,
    explanation: `Dr.Web's Siggen, MulDrop, DownLoader<N>, Packed<N> and Inject<N> names are generic buckets, not researched families (our reading of Dr.Web names). Submit the file at vms.drweb.com/sendvirus with the category "False detection", and ship it signed with version information.`,
    source: null,
  },
  {
    id: 'clamav-agent',
    engines: ['ClamAV'],
    pattern: /^[A-Za-z0-9]+\.[A-Za-z]+\.Agent-/,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'ClamAV\'s naming guidelines say "Agent" is used when no meaningful family name exists, so this is a generic signature. Submit the file at clamav.net/reports/fp (or with clamsubmit) giving the exact detection name.',
    source: SRC.clamavNaming,
  },
  {
    id: 'yandex-generic',
    engines: ['Yandex'],
    pattern: new RegExp(anyWord(['GenAsa', 'Igent']), 'i'),
    kind: 'generic-signature',
    generic: true,
    explanation: `Yandex's GenAsa and Igent names are generic detections (our reading of observed names). Yandex's FP address has been reported to reject mail, so signing and reputation matter more than a submission.`,
    source: null,
  },
  {
    id: 'sangfor-save',
    engines: ['Sangfor'],
    pattern: /\.Save\.[A-Za-z0-9]+$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Sangfor Engine Zero is Sangfor\'s AI engine; its "<Type>.Win32.Save.<x>" verdicts name no family (our reading of observed names). Report it through the Sangfor Community portal (free account) with the VirusTotal link and sign the file.',
    source: null,
  },
  {
    id: 'panda-collective-intelligence',
    engines: ['Panda'],
    pattern: /^Trj\/CI\./i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Panda\'s Trj/CI.* names come from its cloud "Collective Intelligence" system (our reading of observed names), not a family signature. Submit the file to Panda as a false positive and sign it.',
    source: null,
  },
  {
    id: 'panda-generic',
    engines: ['Panda'],
    pattern: /^Trj\/(?:GdSda|Genetic)\b/i,
    kind: 'generic-signature',
    generic: true,
    explanation: `Panda's Trj/GdSda and Trj/Genetic names are generic detections (our reading of observed names). Submit the file to Panda as a false positive, and ship it signed with version information.`,
    source: null,
  },
  {
    id: 'cybereason-malicious',
    engines: ['Cybereason'],
    pattern: /^malicious\.[0-9a-f]{6,}$/i,
    kind: 'unknown',
    generic: true,
    explanation:
      'Cybereason reports a bare "malicious" verdict with a hash fragment and no family. Email the VirusTotal link to vt-feedback@cybereason.com and sign the file.',
    source: null,
  },

  // 3. Vendor name formats (any engine) ------------------------------------------------------
  // Microsoft
  {
    id: 'microsoft-ml',
    engines: '*',
    pattern: /!ml\b/i,
    kind: 'ml',
    generic: true,
    explanation:
      'The "!ml" suffix marks a Microsoft Defender machine-learning verdict; names such as Wacatac, Sabsik and Bearfoos are catch-alls, not families, and hit new unsigned builds often. Sign the file, add version information and submit it at the Microsoft WDSI portal as a software developer; each new build may need a new submission.',
    source: SRC.microsoftMl,
  },
  // Symantec / Norton
  {
    id: 'symantec-ws-reputation-1',
    engines: '*',
    pattern: /^WS\.Reputation\.1$/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Symantec/Norton WS.Reputation.1 comes from Download Insight: a new executable without enough reputation, not a threat class. Sign every file consistently, submit through SymSubmit (no archive password), and expect each new version to need reputation or a new submission.',
    source: SRC.symantecReputation,
  },
  {
    id: 'symantec-ws-reputation',
    engines: '*',
    pattern: /^WS\.Reputation\.[0-9]+$/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Symantec WS.Reputation.N is a reputation conviction (.3 High Intensity Detection, .5 File Reputation Service, .6 background reputation scan), not a threat class. Sign every file consistently and submit through SymSubmit; each new version starts without reputation.',
    source: SRC.symantecReputation,
  },
  {
    id: 'symantec-advml',
    engines: '*',
    pattern: /^Heur\.AdvML\./i,
    kind: 'ml',
    generic: true,
    explanation:
      'Symantec Heur.AdvML is "heuristic detection using advanced machine learning", not a signature for a known threat. Sign the file and submit it through SymSubmit ("Clean software incorrectly detected", no archive password).',
    source: SRC.symantecAdvML,
  },
  {
    id: 'symantec-ml-attribute',
    engines: '*',
    pattern: /^ML\.Attribute\./i,
    kind: 'ml',
    generic: true,
    explanation:
      'Symantec ML.Attribute.* (e.g. HighConfidence) is read as a machine-learning verdict and is very common on benign unsigned builds. Sign the file and submit it through SymSubmit; Symantec whitelisting is per file.',
    source: SRC.symantecCommunity,
  },
  {
    id: 'symantec-suspicious-cloud',
    engines: '*',
    pattern: /^Suspicious\.(?:Cloud|Insight)\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Symantec/Norton Suspicious.Cloud.* is a sensitive cloud detection for new or mutated files without a signature, and Norton documents that it can be false. Sign the file and submit it through SymSubmit or submit.norton.com.',
    source: SRC.symantecSuspiciousCloud,
  },
  {
    id: 'symantec-sonar-bloodhound',
    engines: '*',
    pattern: /^(?:SONAR|Bloodhound)\./i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Symantec SONAR.* (behaviour) and Bloodhound.* (static heuristics) name techniques, not families (our reading; not in the research sources). Sign the file and submit it through SymSubmit.',
    source: null,
  },
  // McAfee / Trellix / Skyhigh
  {
    id: 'mcafee-artemis',
    engines: '*',
    pattern: /^Artemis!(?<md5prefix>[0-9A-F]{12})$/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'McAfee/Trellix Artemis!<hex> is a Global Threat Intelligence (cloud reputation) generic detection; the hex is the first 12 characters of the file\'s MD5. Email the file to McAfee with a subject starting "FALSE" (Skyhigh routes Artemis to Trellix Labs), sign it, and consider McAfee\'s false-positive test rig.',
    source: SRC.mcafeeGTI,
  },
  {
    id: 'mcafee-gti-generic',
    engines: '*',
    pattern: /\bArtemis\b|^(?:RDN\/)?Generic\.dx\b/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'McAfee/Trellix Generic!Artemis and Generic.dx are Global Threat Intelligence generic detections, named generically on purpose. Email the file to McAfee with a subject starting "FALSE" and sign it.',
    source: SRC.mcafeeGTI,
  },
  {
    id: 'mcafee-real-protect',
    engines: '*',
    pattern: /^Real ?Protect\b/i,
    kind: 'ml',
    generic: true,
    explanation:
      'McAfee Real Protect uses machine learning (on the client or in the cloud) to judge suspicious files; the name carries no family. Email the file to McAfee with a subject starting "FALSE" and sign it.',
    source: SRC.mcafeeRealProtect,
  },
  {
    id: 'behaves-like',
    engines: '*',
    pattern: /^BehavesLike\./i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'BehavesLike.* comes from a behaviour/emulation engine (Skyhigh\'s gateway engine; Emsisoft uses the same prefix) that found the file similar to malware, not a signature. Submit the file to the engine\'s vendor with the VirusTotal link and sign it.',
    source: SRC.skyhigh,
  },
  {
    id: 'emsisoft-bad-reputation',
    engines: '*',
    pattern: /^Bad ?Reputation\b/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Emsisoft\'s "Bad Reputation" comes from its cloud reputation, not a signature: the file is new or rare. Email fp@emsisoft.com with the file or its VirusTotal link, sign it, and let reputation build.',
    source: SRC.emsisoft,
  },
  // Kaspersky (also ZoneAlarm and other engines that reuse its names)
  {
    id: 'kaspersky-heur',
    engines: '*',
    pattern: /^HEUR:/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Kaspersky\'s HEUR: prefix means its heuristic analyser matched typical malicious traits, not a named threat. Submit the file for re-analysis through Kaspersky OpenTIP (or email), sign it, and consider the Kaspersky Allowlist Program.',
    source: SRC.kasperskyHeuristic,
  },
  {
    id: 'kaspersky-pdm',
    engines: '*',
    pattern: /^PDM:/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Kaspersky\'s PDM: prefix means the Proactive Defense module blocked a sequence of actions the program performed, not a file signature. Submit the file for re-analysis through Kaspersky OpenTIP and sign it.',
    source: SRC.kasperskyHeuristic,
  },
  {
    id: 'kaspersky-vho',
    engines: '*',
    pattern: /^VHO:/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Kaspersky\'s VHO: prefix is used like HEUR: for heuristic verdicts (our reading; the prefix is not documented in the research sources). Submit the file for re-analysis through Kaspersky OpenTIP and sign it.',
    source: null,
  },
  {
    id: 'kaspersky-uds',
    engines: '*',
    pattern: /^UDS:/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Kaspersky\'s UDS: prefix comes from its cloud (KSN) Urgent Detection System, typically UDS:DangerousObject.Multi.Generic, a cloud verdict about this file rather than a family. Submit the file for re-analysis through Kaspersky OpenTIP; cloud verdicts are usually withdrawn quickly once confirmed clean.',
    source: SRC.kasperskyUDS,
  },
  // BitDefender engine (BitDefender, Emsisoft, GData, eScan, VIPRE, ALYac, Arcabit, MAX/CTX, F-Secure…)
  {
    id: 'bitdefender-suspicious-cloud',
    engines: '*',
    pattern: /^Gen:Suspicious\.Cloud\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'BitDefender-engine Gen:Suspicious.Cloud.* is a cloud-side suspicion verdict without a signature (our reading; not documented in the research sources). Submit the file to BitDefender; the engines that license it usually follow its fix.',
    source: null,
  },
  {
    id: 'bitdefender-heuristic',
    engines: '*',
    pattern: /^(?:Gen:Heur\b|Gen:[A-Za-z]+\.Heur\b|Trojan\.Heur\b|DeepScan:|Memscan:)/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'BitDefender-engine Gen:Heur, Gen:<Type>.Heur, DeepScan: and Memscan: names are heuristic detections (instructions or sandbox behaviour that resemble malware), not a family. Submit the file to BitDefender first; ALYac, Arcabit, Emsisoft, GData, eScan and VIPRE usually follow its fix.',
    source: SRC.fsecureHeuristic,
  },
  {
    id: 'bitdefender-neural-network',
    engines: '*',
    pattern: /^Gen:NN\./i,
    kind: 'ml',
    generic: true,
    explanation:
      'BitDefender-engine Gen:NN.* names are read as neural-network (machine-learning) verdicts (our reading; not documented in the research sources). Submit the file to BitDefender; the engines that license it usually follow its fix.',
    source: null,
  },
  {
    id: 'bitdefender-generic',
    engines: '*',
    pattern: /^(?:Gen:|Trojan\.GenericKDZ?\.[0-9]|Trojan\.Generic\.[0-9]|Generic\.(?:malware|mg)\.|IL:Trojan\.MSILZilla\b)/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'BitDefender-engine Gen:Variant.*, Trojan.GenericKD.* and Generic.* names are generic detections (broad code or behaviour patterns), not a researched family. Submit the file to BitDefender first; ALYac, Arcabit, Emsisoft, GData, eScan and VIPRE usually follow its fix.',
    source: SRC.fsecureGeneric,
  },
  // Avast / AVG
  {
    id: 'avast-filerep',
    engines: '*',
    pattern: /^FileRep[A-Za-z]*\b/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Avast/AVG FileRep* verdicts come from cloud file reputation (how new and how widespread the file is, and its signature status), not a signature. Sign the file, submit it through Avast\'s false-positive form, and consider the Avast Threat Lab whitelisting by digital signature.',
    source: SRC.avastFileRep,
  },
  {
    id: 'avast-idp',
    engines: '*',
    pattern: /^IDP\./i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Avast/AVG IDP.* names (e.g. IDP.Generic) are generic heuristic verdicts (our reading; not documented in the research sources). Submit the file through Avast\'s false-positive form and sign it.',
    source: null,
  },
  {
    id: 'avast-gen',
    engines: '*',
    pattern: /^[A-Za-z0-9]+:[A-Za-z0-9-]*-gen\b/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'In Avast/AVG names such as Win32:Malware-gen or Win32:Evo-gen [Trj], "-gen" means a generic detection, not a family. Submit the file through Avast\'s false-positive form and consider the Avast Threat Lab whitelisting by digital signature.',
    source: SRC.avastGen,
  },
  // Sophos
  {
    id: 'sophos-ml',
    engines: '*',
    pattern: /^ML\//,
    kind: 'ml',
    generic: true,
    explanation:
      'Sophos ML/* (e.g. ML/PE-A) is its deep-learning detection, which Sophos says can flag legitimate applications. Sign the file (Sophos can allow by certificate) and submit it to Sophos as a false positive.',
    source: SRC.sophosML,
  },
  {
    id: 'sophos-suspicious',
    engines: '*',
    pattern: /^Sus\//i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Sophos Sus/* names are suspicious-file heuristics using looser generic identities that may not be malicious. Sign the file and submit it to Sophos as a false positive.',
    source: SRC.sophosSusMal,
  },
  {
    id: 'sophos-mal',
    engines: '*',
    pattern: /^(?:HP)?Mal\//i,
    kind: 'generic-signature',
    generic: true,
    explanation: `Sophos Mal/* names (e.g. Mal/Generic-S) are generic malware detections, often from Live Protection, not a named family. Submit the file to Sophos as a false positive, and ship it signed with version information.`,
    source: SRC.sophosSusMal,
  },
  // ML-only and EDR engines
  {
    id: 'crowdstrike-confidence',
    engines: '*',
    pattern: /^win\/(?:malicious|suspicious)_confidence_(?<confidence>[0-9]{1,3})%/i,
    kind: 'ml',
    generic: true,
    explanation:
      'CrowdStrike Falcon on VirusTotal is a fully machine-learning engine; the percentage is its confidence (60–100), not a signature. Email the VirusTotal link to VTscanner@crowdstrike.com and sign the file.',
    source: SRC.crowdstrike,
  },
  {
    id: 'sentinelone-static-ai',
    engines: '*',
    pattern: /^Static AI - (?:Malicious|Suspicious)\b/i,
    kind: 'ml',
    generic: true,
    explanation:
      'SentinelOne Static AI is a supervised machine-learning classifier run before execution (benign / suspicious / malicious); there is no signature or family. Email report@sentinelone.com with the VirusTotal link and sign the file.',
    source: SRC.sentinelone,
  },
  {
    id: 'bkav-ai',
    engines: '*',
    pattern: /^W(?:32|64)\.AIDetect/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Bkav W32.AIDetect* is an AI verdict and a notorious false-positive source. Email fpreport@bkav.com with the VirusTotal link, but developers report few answers; signing and reputation matter more.',
    source: SRC.bkav,
  },
  {
    id: 'maxsecure-susgen',
    engines: '*',
    pattern: /\.susgen$/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'MaxSecure\'s "…susgen" (suspicious-generic) verdict, e.g. Trojan.Malware.300983.susgen, is widely reported as a false positive on unrelated projects. Use MaxSecure\'s false-positive form (replies are often only automatic) and sign the file.',
    source: SRC.maxsecure,
  },
  {
    id: 'rising-ai',
    engines: '*',
    pattern: /@AI\.(?<confidence>[0-9]{1,3})\b/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Rising\'s "@AI.<score>" names are AI-scored generic detections; the number is the score. Email fp@rising.com.cn with the VirusTotal link (answers are rare) and sign the file.',
    source: SRC.rising,
  },
  {
    id: 'rising-heuristic-score',
    engines: '*',
    pattern: /^Malware\.Heuristic!ET#(?<confidence>[0-9]{1,3})%/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Rising\'s Malware.Heuristic!ET#NN% is a heuristic score, not a family (our reading of observed names). Email fp@rising.com.cn with the VirusTotal link and sign the file.',
    source: null,
  },
  {
    id: 'paloalto-generic-ml',
    engines: '*',
    pattern: /^generic\.ml$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Palo Alto Networks\' generic.ml is a machine-learning verdict, not a signature. Email the VirusTotal link to vt-pan-false-positive@paloaltonetworks.com (a public download URL or SHA-256 is accepted) and sign the file.',
    source: SRC.paloalto,
  },
  {
    id: 'elastic-confidence',
    engines: '*',
    pattern: /^malicious \((?:high|moderate|low) confidence\)$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Elastic\'s endpoint malware protection combines supervised ML models with YARA rules; "malicious (… confidence)" is the model\'s bucket, not a family. Report it through Elastic\'s false-positive Google Form and sign the file.',
    source: SRC.elastic,
  },
  {
    id: 'cynet-score',
    engines: '*',
    pattern: /^Malicious \(score: ?(?<confidence>[0-9]{1,3})\)$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Cynet reports a scored verdict with no family; how the score is computed is not documented. Cynet\'s address is reported unresponsive, so sign the file and rely on reputation; mention the score if you contact them.',
    source: SRC.cynet,
  },
  {
    id: 'trapmine-ml-score',
    engines: '*',
    pattern: /^(?:malicious|suspicious)\.(?:high|moderate|low)\.ml\.score$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Trapmine\'s "<verdict>.<level>.ml.score" names are machine-learning score buckets. Email fp@trapmine.com with the VirusTotal link (the list notes the company may be winding down) and sign the file.',
    source: SRC.trapmine,
  },
  {
    id: 'malwarebytes-ai',
    engines: '*',
    pattern: /^Malware\.AI\.[0-9]+/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Malwarebytes Malware.AI.<id> names come from its automated machine-learning engines for files not yet researched; the number is not a family. Report it on the Malwarebytes forum false-positive section so the file gets whitelisted, and sign it.',
    source: SRC.malwarebytesAI,
  },
  {
    id: 'malwarebytes-anomalous',
    engines: '*',
    pattern: /^MachineLearning\/Anomalous\.(?<confidence>[0-9]{1,3})%/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Malwarebytes MachineLearning/Anomalous.NN% means the file is NN% away from its model of legitimate software; it is not a signature. Malwarebytes asks legitimate publishers to report it on its forum so the file is whitelisted; signing helps.',
    source: SRC.malwarebytesAnomalous,
  },
  {
    id: 'tehtris-ai-score',
    engines: '*',
    pattern: /^Unsafe\.AI_Score_(?<confidence>[0-9]{1,3})%/i,
    kind: 'ml',
    generic: true,
    explanation:
      'TEHTRIS (eGambit) "Unsafe.AI_Score_NN%" is an AI score, not a signature (our reading of observed names). Report it through the TEHTRIS false-positive form and sign the file.',
    source: null,
  },
  {
    id: 'baidu-wisdomeyes',
    engines: '*',
    pattern: /\bWisdomEyes\b/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Baidu\'s WisdomEyes names come from its AI engine and carry no family (our reading of observed names). Baidu\'s FP addresses are reported to bounce, so signing and reputation are what help.',
    source: null,
  },
  {
    id: 'fortinet-ai',
    engines: '*',
    pattern: /\bPallas\b/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Fortinet names containing PALLAS (e.g. W32/AI.Pallas.Suspicious) are read as FortiGuard AI verdicts (our reading; not documented in the research sources). Submit the file at FortiGuard\'s classification-dispute page and sign it.',
    source: null,
  },
  {
    id: 'fortinet-heuristic',
    engines: '*',
    pattern: /\b(?:PossibleThreat|Malicious_Behavior)\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Fortinet PossibleThreat and Malicious_Behavior names are heuristic / sandbox-behaviour verdicts, not a family (our reading of observed names). Submit the file at FortiGuard\'s classification-dispute page and sign it.',
    source: null,
  },
  // Trend Micro
  {
    id: 'trendmicro-suspicious-gen',
    engines: '*',
    pattern: /^Suspicious_GEN\./i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Trend Micro Suspicious_GEN.* is a generic suspicious-file verdict, not a family. Use Trend Micro\'s detection re-evaluation form (ZIP, any password stated in the form), sign the file, and consider the GRID goodware programme.',
    source: SRC.trendSuspiciousGen,
  },
  {
    id: 'trendmicro-gen',
    engines: '*',
    pattern: /^[A-Za-z0-9]+_GEN\./i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'Trend Micro TROJ_GEN.* (and other *_GEN names) is its generic detection for files with suspicious traits, not a family. Use Trend Micro\'s detection re-evaluation form (ZIP, any password stated in the form), sign the file, and consider the GRID goodware programme.',
    source: SRC.trendGen,
  },
  {
    id: 'trendmicro-generic-prefix',
    engines: '*',
    pattern: /^(?:Possible_|CRYP_|Mal_|SUSPICIOUS_FILE)/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Trend Micro Possible_, CRYP_ and Mal_ names come from heuristic patterns that detect many variants; Trend Micro itself runs them in a cautious first level to limit false alarms. Use the detection re-evaluation form and sign the file.',
    source: SRC.trendGeneric,
  },
  {
    id: 'trendmicro-machine-learning',
    engines: '*',
    pattern: /\.XXPE[0-9A-Z]+$/i,
    kind: 'ml',
    generic: true,
    explanation:
      'Trend Micro names ending in XXPE… (e.g. TROJ.Win32.TRX.XXPE50FFF071) are read as Predictive Machine Learning verdicts (our reading; not documented in the research sources). Use the detection re-evaluation form and sign the file.',
    source: null,
  },
  // Dr.Web / Zoner
  {
    id: 'probably-heuristic',
    engines: '*',
    pattern: /\bprobably\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'A name containing "probably" comes from a heuristic analyser (Dr.Web documents this; Zoner uses the same word), not a known threat. For Dr.Web submit it at vms.drweb.com/sendvirus with the category "False detection by Dr.Web heuristic analyzer"; sign the file.',
    source: SRC.drweb,
  },
  // ClamAV
  {
    id: 'clamav-limits-exceeded',
    engines: '*',
    pattern: /^Heuristics\.Limits\.Exceeded/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'ClamAV Heuristics.Limits.Exceeded is not an infection: the file hit a scan limit (size, recursion, file count) while ClamAV was set to alert on that. Nothing in the file needs fixing; smaller or less deeply nested archives avoid it.',
    source: SRC.clamavHeuristics,
  },
  {
    id: 'clamav-heuristics',
    engines: '*',
    pattern: /^Heuristics\./i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'ClamAV Heuristics.* names are heuristic checks (e.g. broken executables, encrypted archives), not signatures for a threat. Submit the file at clamav.net/reports/fp with the exact detection name.',
    source: SRC.clamavHeuristics,
  },
  {
    id: 'clamav-sanesecurity',
    engines: '*',
    pattern: /^Sanesecurity\./i,
    kind: 'unknown',
    generic: false,
    explanation:
      'Sanesecurity.* names are third-party signatures that some ClamAV installations add; ClamAV does not maintain them. Report the false positive to SaneSecurity, not to ClamAV.',
    source: SRC.clamavSanesecurity,
  },
  // K7, Xcitium, Kingsoft, Varist, VBA32
  {
    id: 'k7-category-id',
    engines: '*',
    pattern: /^[A-Za-z][A-Za-z-]*\s?\(\s?[0-9a-f]{5,}\s?\)$/i,
    kind: 'generic-signature',
    generic: true,
    explanation: `K7 names carry only a category and an internal signature id, e.g. "Trojan ( 0058e3a11 )", never a family. Email the VirusTotal link to K7 (one channel covers K7AntiVirus and K7GW), and ship the file signed with version information.`,
    source: null,
  },
  {
    id: 'xcitium-malware-id',
    engines: '*',
    pattern: /^Malware@#/i,
    kind: 'generic-signature',
    generic: true,
    explanation:
      'Xcitium (Comodo) Malware@#<id> names are generic, id-only detections without a family (our reading of observed names). Submit the file through Comodo\'s submission form or threatlabs@xcitium.com and sign it.',
    source: null,
  },
  {
    id: 'kingsoft-cloud',
    engines: '*',
    pattern: /\(kcloud\)/i,
    kind: 'reputation',
    generic: true,
    explanation:
      'Kingsoft names tagged "(kcloud)" come from its cloud service rather than a local signature (our reading of observed names). Email the VirusTotal link to Kingsoft and sign the file.',
    source: null,
  },
  {
    id: 'varist-eldorado',
    engines: '*',
    pattern: /!Eldorado\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'Names ending "!Eldorado" (Varist, formerly Cyren/Commtouch) come from its emulation heuristics, not a family signature (our reading of observed names). Email SampleFP@avsubmit.com with the VirusTotal link and sign the file.',
    source: null,
  },
  {
    id: 'vba32-scope',
    engines: '*',
    pattern: /^(?:BScope|TScope)\.|\bsuspected of\b/i,
    kind: 'heuristic',
    generic: true,
    explanation:
      'VBA32 BScope./TScope. prefixes and "suspected of" names come from its generic analysers, not a family signature (our reading of observed names). Email feedback@anti-virus.by with the VirusTotal link and sign the file.',
    source: null,
  },
  // Bare verdicts on any engine
  {
    id: 'bare-verdict',
    engines: '*',
    pattern: /^(?:malicious|malware|detected|infected|threat|unsafe|dangerous)$/i,
    kind: 'unknown',
    generic: true,
    explanation: `The engine reported a bare verdict with no family, type or technique, which is typical of ML and cloud engines. Report it to the vendor with the VirusTotal link, and ship the file signed with version information.`,
    source: null,
  },

  // 4. Engine-independent markers --------------------------------------------------------------
  {
    id: 'ml-marker',
    engines: '*',
    pattern: new RegExp(anyWord(['ML', 'AI', 'MachineLearning', 'DeepLearning', 'NeuralNet']), 'i'),
    kind: 'ml',
    generic: true,
    explanation: EXPLAIN.ml,
    source: null,
  },
  {
    id: 'reputation-marker',
    engines: '*',
    pattern: new RegExp(anyWord(['Reputation', 'FileRep[A-Za-z]*', 'LowRep', 'Prevalence']), 'i'),
    kind: 'reputation',
    generic: true,
    explanation: EXPLAIN.reputation,
    source: null,
  },
  {
    id: 'heuristic-marker',
    engines: '*',
    pattern: new RegExp(
      anyWord(['HEUR[A-Za-z]*', 'Suspicious', 'Suspect[A-Za-z]*', 'Susp', 'Sus', 'Behav[A-Za-z]*', 'suspected', 'susgen', 'Packed', 'Packer', 'DeepScan', 'Memscan', 'Emulat[A-Za-z]*', 'Anomal[A-Za-z]*']),
      'i',
    ),
    kind: 'heuristic',
    generic: true,
    explanation: EXPLAIN.heuristic,
    source: SRC.fsecureHeuristic,
  },
  {
    id: 'catchall-name',
    engines: '*',
    pattern: new RegExp(anyWord(CATCHALL_NAMES), 'i'),
    kind: 'generic-signature',
    generic: true,
    explanation: EXPLAIN.catchall,
    source: SRC.catchall,
  },
  {
    id: 'generic-marker',
    engines: '*',
    pattern: new RegExp(anyWord(GENERIC_WORDS), 'i'),
    kind: 'generic-signature',
    generic: true,
    explanation: EXPLAIN.genericSignature,
    source: SRC.fsecureGeneric,
  },

  // 5. Families ---------------------------------------------------------------------------------
  {
    id: 'microsoft-mtb-family',
    engines: ['Microsoft'],
    pattern: /!MTB$/i,
    kind: 'family',
    generic: false,
    family: 'require-tokens',
    explanation:
      'Microsoft does not document the !MTB suffix (its naming page lists other suffixes), so we judge the name by its family part: this one is a specific family, not a catch-all such as Wacatac, so it is treated as a researched detection. Rebuild on a clean machine and check dependencies; if the build is clean, submit it to Microsoft as a software developer.',
    source: SRC.microsoftNaming,
  },
  {
    id: 'mcafee-family',
    engines: ['McAfee'],
    pattern: /^(?:RDN\/)?[A-Za-z][A-Za-z0-9]*-[A-Za-z0-9]{1,6}![0-9A-F]{6,}$/i,
    kind: 'family',
    generic: false,
    family: 'require-tokens',
    explanation: EXPLAIN.family,
    source: null,
  },
  {
    id: 'family-name',
    engines: '*',
    pattern: new RegExp(anyWord(FRAME_WORDS), 'i'),
    kind: 'family',
    generic: false,
    family: 'require-tokens',
    explanation: EXPLAIN.family,
    source: SRC.caroFamily,
  },
  {
    id: 'category-only',
    engines: '*',
    pattern: new RegExp(anyWord(FRAME_WORDS), 'i'),
    kind: 'generic-signature',
    generic: true,
    explanation: EXPLAIN.categoryOnly,
    source: null,
  },
];
