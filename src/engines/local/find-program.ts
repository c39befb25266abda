/**
 * Whether a scanner program is installed, without running it (some scanners started without
 * arguments begin a full system scan): a path is checked directly, a bare name is looked up on
 * PATH (with PATHEXT on Windows), as a shell would.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

async function executable(path: string): Promise<boolean> {
  // Windows has no execute bit: existence is what can be checked.
  return access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** The path the program would be started from, or null when it is not installed. */
export async function findProgram(command: string): Promise<string | null> {
  if (command.includes('/') || command.includes('\\') || isAbsolute(command)) return (await executable(command)) ? command : null;
  const extensions = process.platform === 'win32' ? ['', ...(process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter((e) => e !== '')] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const candidate = join(dir, command + extension);
      if (await executable(candidate)) return candidate;
    }
  }
  return null;
}
