#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm run build`, which `npm ci` runs through `prepare`).
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';

// `absolve --version` answers from package.json without loading the CLI (commander and the commands).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
  process.exit(0);
}

// Node 22.1+ keeps V8's compiled code on disk between runs (os.tmpdir()/node-compile-cache): later starts skip
// parsing and compiling dist/ and the dependencies. Node 20 has no such API and starts as before.
module.enableCompileCache?.();

const compiled = new URL('../dist/app/cli-entry.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write('absolve: NOT_BUILT: dist/ is missing; run `npm run build` (npm ci does it through prepare)\n');
  process.exit(2);
}
await import(compiled.href);
