/** Names that promise a Windows PE; a non-PE behind one of them is a violation (a broken or disguised file). */
const PE_EXTENSIONS = new Set(['exe', 'dll', 'sys', 'ocx', 'scr', 'cpl', 'efi', 'drv', 'mui', 'ax', 'com']);

/** A module of its own so the summary (and the CLI's start-up) need not load the audit to ask. */
export function hasPEExtension(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 && PE_EXTENSIONS.has(base.slice(dot + 1).toLowerCase());
}
