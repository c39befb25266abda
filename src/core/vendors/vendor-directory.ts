/**
 * Looking engines up in the vendor directory: by VirusTotal name, alias or canonical engine
 * name (engine-names.ts), and grouping OEM engines under the vendor whose engine they license.
 */
import { canonicalEngineName } from '../detections/engine-names.ts';
import { VENDOR_DIRECTORY } from './directory-data.ts';
import type { VendorEntry } from './vendor.types.ts';

/** Case-, space- and punctuation-blind key (the same normalisation the classifier uses for engine names). */
export function vendorKey(name: string): string {
  return name.toLowerCase().replace(/[\s\-_.()/]/g, '');
}

export class VendorDirectory {
  private readonly byKey = new Map<string, VendorEntry>();

  constructor(readonly entries: readonly VendorEntry[]) {
    // Engine names first, then aliases, so an alias never shadows another entry's own name.
    for (const e of entries) this.byKey.set(vendorKey(e.engine), e);
    for (const e of entries) for (const a of e.aliases) if (!this.byKey.has(vendorKey(a))) this.byKey.set(vendorKey(a), e);
  }

  /** The entry for an engine name as an engine reported it: its own entry, else its canonical engine's, else undefined. */
  find(engine: string): VendorEntry | undefined {
    return this.byKey.get(vendorKey(engine.trim())) ?? this.byKey.get(vendorKey(canonicalEngineName(engine)));
  }

  /**
   * The vendor a detection is reported to. An OEM engine (its entry names an `upstream`) is grouped
   * under the upstream when the upstream also flags the same file (`flagging` = the engines that
   * flag it): the licensed engine is then the likely source, and one fix there clears both. Alone,
   * an OEM engine's detection is its own (G DATA, Emsisoft and others run engines of their own too).
   */
  vendorFor(engine: string, flagging: readonly string[]): VendorEntry | undefined {
    const own = this.find(engine);
    if (own?.upstream == null) return own;
    const upstream = this.find(own.upstream);
    if (upstream === undefined) return own;
    const upstreamFlags = flagging.some((e) => this.find(e)?.engine === upstream.engine);
    return upstreamFlags ? upstream : own;
  }

  /** Engines whose entry names `engine` as upstream. */
  downstreamOf(engine: string): VendorEntry[] {
    return this.entries.filter((e) => e.upstream !== null && vendorKey(e.upstream) === vendorKey(engine));
  }
}

/** The shipped directory, with the user's entries from absolve.config.json merged over it (same engine: replaced field by field). */
export function buildVendorDirectory(overrides: readonly VendorOverride[] = []): VendorDirectory {
  const entries = VENDOR_DIRECTORY.map((e) => structuredClone<VendorEntry>(e));
  for (const o of overrides) {
    const index = entries.findIndex((e) => vendorKey(e.engine) === vendorKey(o.engine) || e.aliases.some((a) => vendorKey(a) === vendorKey(o.engine)));
    const base = index >= 0 ? entries[index] : undefined;
    const merged: VendorEntry = {
      engine: base?.engine ?? o.engine,
      vendor: o.vendor ?? base?.vendor ?? o.engine,
      aliases: o.aliases ?? base?.aliases ?? [],
      upstream: o.upstream !== undefined ? o.upstream : (base?.upstream ?? null),
      channels: o.channels ?? base?.channels ?? [],
      requirements: { ...(base?.requirements ?? DEFAULT_REQUIREMENTS), ...o.requirements },
      programmes: o.programmes ?? base?.programmes ?? [],
      notes: o.notes !== undefined ? o.notes : (base?.notes ?? null),
      sources: o.sources ?? base?.sources ?? [],
      checked: o.checked ?? base?.checked ?? '',
      origin: 'config',
    };
    if (index >= 0) entries[index] = merged;
    else entries.push(merged);
  }
  return new VendorDirectory(entries);
}

export const DEFAULT_REQUIREMENTS: VendorEntry['requirements'] = {
  archivePassword: 'infected',
  maxArchiveBytes: null,
  maxFiles: null,
  subjectPrefix: null,
  accountRequired: false,
  detectionNameRequired: false,
  hashOnlyWhenTooLarge: false,
  source: null,
};

/** A user's entry in absolve.config.json `vendors`: the engine name and the fields to set (validated by parseVendorOverrides). */
export interface VendorOverride {
  engine: string;
  vendor?: string;
  aliases?: string[];
  upstream?: string | null;
  channels?: VendorEntry['channels'];
  requirements?: Partial<VendorEntry['requirements']>;
  programmes?: VendorEntry['programmes'];
  notes?: string | null;
  sources?: string[];
  checked?: string;
}
