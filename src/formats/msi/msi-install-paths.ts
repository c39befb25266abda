/**
 * Resolve MSI File rows to install paths and cabinets, the way msiextract lays files out.
 *
 * Windows Installer rules (MSDN "Directory Table", "File Table", "Media Table", "Component Table"):
 * - Directory.DefaultDir is `[target][:source]`; each part is `short|long` or just a name. The target long name
 *   is the folder name; "." means "no folder of its own" (the parent's path).
 * - A directory whose Directory_Parent is null or itself is a root (TARGETDIR, DefaultDir "SourceDir"): the
 *   install root, shown as the empty path.
 * - File.Component_ → Component.Directory_ gives the folder; File.FileName (`short|long`) the name.
 * - Media rows are ordered by LastSequence: a file belongs to the first Media row whose LastSequence ≥ its
 *   Sequence. Media.Cabinet "#name" is the embedded stream `name`; a Cabinet without '#' is a file next to the
 *   package; an empty Cabinet means uncompressed files next to the package.
 */
import type { MsiDatabase, MsiFileRecord, MsiInstallLayout, MsiMediaRecord, MsiValue } from './msi.types.ts';

/** The long half of `short|long` (or the whole name). */
export function longName(name: string): string {
  const bar = name.indexOf('|');
  return bar < 0 ? name : name.slice(bar + 1);
}

/** The target part of DefaultDir (before ':'), long form. */
export function defaultDirTarget(defaultDir: string): string {
  const colon = defaultDir.indexOf(':');
  return longName(colon < 0 ? defaultDir : defaultDir.slice(0, colon));
}

const text = (v: MsiValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: MsiValue | undefined): number | undefined => (typeof v === 'number' ? v : undefined);

export function resolveMsiInstallLayout(db: MsiDatabase): MsiInstallLayout {
  const problems: string[] = [];
  const directories = new Map<string, { parent: string | undefined; defaultDir: string }>();
  for (const row of db.readTable('Directory')?.rows ?? []) {
    const id = text(row.Directory);
    if (id === undefined) continue;
    directories.set(id, { parent: text(row.Directory_Parent), defaultDir: text(row.DefaultDir) ?? '.' });
  }
  const resolved = new Map<string, string>();
  // Iterative resolution with a visiting set: a Directory_Parent loop is reported, never followed forever.
  const resolveDirectory = (start: string): string => {
    const cached = resolved.get(start);
    if (cached !== undefined) return cached;
    const chain: string[] = [];
    const onChain = new Set<string>();
    let id: string | undefined = start;
    let base = '';
    while (id !== undefined) {
      const known = resolved.get(id);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (onChain.has(id)) {
        problems.push(`Directory table loop through "${id}"`);
        break;
      }
      const dir = directories.get(id);
      if (dir === undefined) {
        problems.push(`Directory "${id}" is referenced but not defined`);
        break;
      }
      onChain.add(id);
      chain.push(id);
      id = dir.parent === undefined || dir.parent === id ? undefined : dir.parent;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const dirId = chain[i] as string;
      const dir = directories.get(dirId);
      const isRoot = dir === undefined || dir.parent === undefined || dir.parent === dirId;
      const segment = isRoot || dir === undefined ? '' : defaultDirTarget(dir.defaultDir);
      base = segment === '' || segment === '.' ? base : base === '' ? segment : `${base}/${segment}`;
      resolved.set(dirId, base);
    }
    return base;
  };

  const componentDirectory = new Map<string, string>();
  for (const row of db.readTable('Component')?.rows ?? []) {
    const id = text(row.Component);
    const dir = text(row.Directory_);
    if (id !== undefined && dir !== undefined) componentDirectory.set(id, dir);
  }

  const media: MsiMediaRecord[] = [];
  for (const row of db.readTable('Media')?.rows ?? []) {
    const diskId = int(row.DiskId);
    const lastSequence = int(row.LastSequence);
    if (diskId === undefined || lastSequence === undefined) continue;
    const cabinet = text(row.Cabinet) ?? null;
    const record: MsiMediaRecord = { diskId, lastSequence, cabinet };
    if (cabinet !== null && cabinet !== '') {
      if (cabinet.startsWith('#')) record.embeddedStream = cabinet.slice(1);
      else record.externalCabinet = cabinet;
    }
    media.push(record);
  }
  const bySequence = [...media].sort((a, b) => a.lastSequence - b.lastSequence || a.diskId - b.diskId);

  const files: MsiFileRecord[] = [];
  for (const row of db.readTable('File')?.rows ?? []) {
    const key = text(row.File);
    if (key === undefined) continue;
    const component = text(row.Component_) ?? '';
    const rawName = text(row.FileName) ?? key;
    const bar = rawName.indexOf('|');
    const fileName = longName(rawName);
    const directory = componentDirectory.get(component);
    if (directory === undefined) problems.push(`File "${key}": component "${component}" has no directory`);
    const dirPath = directory === undefined ? '' : resolveDirectory(directory);
    const sequence = int(row.Sequence) ?? 0;
    const record: MsiFileRecord = {
      key,
      component,
      fileName,
      directory: directory ?? '',
      path: dirPath === '' ? fileName : `${dirPath}/${fileName}`,
      size: int(row.FileSize) ?? 0,
      sequence,
      attributes: int(row.Attributes) ?? 0,
    };
    if (bar >= 0) record.shortName = rawName.slice(0, bar);
    const m = bySequence.find((x) => x.lastSequence >= sequence);
    if (m !== undefined) record.media = m;
    files.push(record);
  }
  return { files, media, problems };
}
