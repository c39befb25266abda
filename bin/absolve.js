#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/app/cli-entry.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('absolve: NOT_BUILT: dist/ is missing; run `npm run build` (npm ci does it through prepare)\n');
  process.exit(2);
}
await import(compiled.href);
