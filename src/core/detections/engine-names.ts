/**
 * Engine names: the VirusTotal result keys and display names, vendor spellings and renames that
 * refer to one detection engine, mapped to one canonical name.
 *
 * Canonical names are the `engine` values of the research vendor directory
 * (/work/shared/research/vendors.json), so a canonical name can be looked up there. Aliases come
 * from that file's `aliases` field, from the False-Positive-Center table and renames quoted in
 * vendors.md, and from the product brief. Where one vendor runs one naming scheme under two VT
 * engine names (Avast/AVG, K7AntiVirus/K7GW, TrendMicro/TrendMicro-HouseCall, McAfee/Trellix/
 * Skyhigh, Kaspersky/ZoneAlarm, BitDefender/BitDefenderTheta) they are merged: the detection names
 * mean the same thing and a fix at the first one is what clears the other. The vendor directory
 * still lists some of those as separate entries with their own channels (AVG, ZoneAlarm, Trellix
 * ENS, Skyhigh, K7GW, TrendMicro-HouseCall); callers that need a channel should look up the raw
 * engine name there first.
 */

export interface EngineAliasGroup {
  readonly canonical: string;
  readonly aliases: readonly string[];
}

export const ENGINE_ALIAS_GROUPS: readonly EngineAliasGroup[] = [
  { canonical: 'Microsoft', aliases: ['Windows Defender', 'Defender', 'Microsoft Defender', 'Microsoft Defender Antivirus'] },
  { canonical: 'Symantec', aliases: ['Norton', 'Broadcom', 'Symantec Endpoint Protection', 'Norton AntiVirus'] },
  {
    canonical: 'McAfee',
    // Trellix ENS is McAfee's renamed enterprise product; Skyhigh (formerly McAfee-GW-Edition)
    // reports Trellix GTI verdicts as Artemis (vendors.md). The McAfee-GW-Edition → Skyhigh link
    // is the research author's own mapping, not a source's.
    aliases: ['McAfeeD', 'McAfee Scanner', 'McAfee-GW-Edition', 'Trellix', 'Trellix ENS', 'TrellixENS', 'Trellix (FireEye)', 'FireEye', 'Skyhigh', 'Skyhigh (SWG)'],
  },
  { canonical: 'Kaspersky', aliases: ['ZoneAlarm', 'ZoneAlarm by Check Point', 'Kaspersky Lab'] },
  { canonical: 'BitDefender', aliases: ['BitDefenderTheta', 'BitDefenderFalx'] },
  { canonical: 'Avast', aliases: ['AVG', 'Avast Antivirus', 'AVG Antivirus'] },
  { canonical: 'ESET-NOD32', aliases: ['ESET', 'NOD32', 'ESET NOD32'] },
  { canonical: 'Palo Alto Networks', aliases: ['Paloalto', 'Palo Alto'] },
  { canonical: 'CrowdStrike Falcon', aliases: ['CrowdStrike', 'Falcon (ML)'] },
  { canonical: 'SentinelOne', aliases: ['SentinelOne (Static ML)'] },
  { canonical: 'Cylance', aliases: ['Arctic Wolf', 'BlackBerry', 'BlackBerry Cylance'] },
  { canonical: 'Acronis', aliases: ['Acronis (Static ML)'] },
  { canonical: 'Avira', aliases: ['Avira (no cloud)'] },
  { canonical: 'Bkav', aliases: ['Bkav Pro'] },
  { canonical: 'eScan', aliases: ['MicroWorld-eScan', 'MicroWorld'] },
  { canonical: 'Gridinsoft', aliases: ['Gridinsoft (no cloud)'] },
  { canonical: 'QuickHeal', aliases: ['CAT-QuickHeal', 'Quick Heal'] },
  { canonical: 'Sangfor', aliases: ['Sangfor Engine Zero'] },
  { canonical: 'WithSecure', aliases: ['F-Secure'] },
  { canonical: 'AliCloud', aliases: ['alibabacloud', 'Alibaba Cloud'] },
  { canonical: 'APEX', aliases: ['SecureAge', 'SecureAge APEX'] },
  { canonical: 'tehtris', aliases: ['eGambit'] },
  { canonical: 'Qihoo-360', aliases: ['360', 'Qihoo 360'] },
  { canonical: 'TrendMicro', aliases: ['TrendMicro-HouseCall', 'Trend Micro'] },
  { canonical: 'K7AntiVirus', aliases: ['K7GW', 'K7'] },
  { canonical: 'DrWeb', aliases: ['Dr.Web', 'Doctor Web'] },
  { canonical: 'Xcitium', aliases: ['Comodo'] },
  { canonical: 'DeepInstinct', aliases: [] },
  { canonical: 'NANO-Antivirus', aliases: ['NANO'] },
  { canonical: 'AhnLab-V3', aliases: ['AhnLab'] },
  { canonical: 'Antiy-AVL', aliases: ['Antiy'] },
  { canonical: 'GData', aliases: ['G Data'] },
  { canonical: 'MaxSecure', aliases: ['Max Secure'] },
  { canonical: 'Emsisoft', aliases: [] },
  { canonical: 'ALYac', aliases: [] },
  { canonical: 'Arcabit', aliases: [] },
  { canonical: 'VIPRE', aliases: [] },
  // Ad-Aware was a VirusTotal engine built on the BitDefender engine (product brief); it is not in
  // the vendor directory.
  { canonical: 'Ad-Aware', aliases: ['Adaware'] },
  { canonical: 'MAX', aliases: [] },
  { canonical: 'CTX', aliases: [] },
  { canonical: 'ClamAV', aliases: [] },
  { canonical: 'Cynet', aliases: [] },
  { canonical: 'Elastic', aliases: [] },
  { canonical: 'Fortinet', aliases: [] },
  { canonical: 'Google', aliases: [] },
  { canonical: 'Ikarus', aliases: [] },
  { canonical: 'Jiangmin', aliases: [] },
  { canonical: 'Kingsoft', aliases: [] },
  { canonical: 'Lionic', aliases: [] },
  { canonical: 'Malwarebytes', aliases: [] },
  { canonical: 'Panda', aliases: [] },
  { canonical: 'Rising', aliases: [] },
  { canonical: 'Sophos', aliases: [] },
  { canonical: 'SUPERAntiSpyware', aliases: [] },
  { canonical: 'TACHYON', aliases: [] },
  { canonical: 'Tencent', aliases: [] },
  { canonical: 'Trapmine', aliases: [] },
  { canonical: 'Varist', aliases: [] },
  { canonical: 'VBA32', aliases: [] },
  { canonical: 'ViRobot', aliases: [] },
  { canonical: 'Yandex', aliases: [] },
  { canonical: 'Zillya', aliases: [] },
  { canonical: 'Zoner', aliases: [] },
  { canonical: 'Alibaba', aliases: [] },
  { canonical: 'Baidu', aliases: [] },
  { canonical: 'CMC', aliases: [] },
  { canonical: 'huorong', aliases: [] },
  { canonical: 'VirIT', aliases: [] },
  { canonical: 'Webroot', aliases: [] },
  { canonical: 'Cybereason', aliases: [] },
  { canonical: 'Trustlook', aliases: [] },
];

/** Engine names longer than this are not names; they are classified as given (trimmed, cut). */
export const MAX_ENGINE_NAME_CHARS = 128;

/**
 * Lookup key: case-insensitive and blind to spaces and the punctuation VirusTotal and vendors
 * vary (`ESET-NOD32` = `ESET NOD32`, `Dr.Web` = `DrWeb`, `Palo Alto` = `Paloalto`).
 */
export function engineLookupKey(name: string): string {
  return name.slice(0, MAX_ENGINE_NAME_CHARS).toLowerCase().replace(/[\s\-_.()/]/g, '');
}

function buildIndex(): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const group of ENGINE_ALIAS_GROUPS) {
    for (const name of [group.canonical, ...group.aliases]) index.set(engineLookupKey(name), group.canonical);
  }
  return index;
}

const ENGINE_INDEX = buildIndex();

/** The canonical engine name, or the input trimmed (and cut to MAX_ENGINE_NAME_CHARS) when unknown. */
export function canonicalEngineName(engine: string): string {
  const trimmed = engine.trim().slice(0, MAX_ENGINE_NAME_CHARS);
  return ENGINE_INDEX.get(engineLookupKey(trimmed)) ?? trimmed;
}

/** True when the engine name (or an alias) is one we know. */
export function isKnownEngine(engine: string): boolean {
  return ENGINE_INDEX.has(engineLookupKey(engine.trim()));
}
