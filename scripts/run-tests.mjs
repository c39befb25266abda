#!/usr/bin/env node
// Runs every test/**/*.test.ts with node:test through tsx (Node 20's runner has no globbing).
// Extra arguments are passed through as file filters: `npm test -- pe` runs files whose path contains "pe".
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? (name === 'fixtures' ? [] : walk(p)) : p.endsWith('.test.ts') ? [p] : [];
  });
}
const filters = process.argv.slice(2);
const files = walk('test').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
if (files.length === 0) {
  console.error('run-tests: no test files matched');
  process.exit(1);
}
const reporter = process.env.TEST_REPORTER ?? 'spec';
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
