#!/usr/bin/env node
// Import-boundary check (part of `npm run lint`).
// Layers point inward: binary <- formats <- authenticode <- core <- adapters <- app.
// A file may import its own layer or layers to its left; adapters may not import each other;
// the pure layers may not touch node I/O modules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const rank = { binary: 0, formats: 1, authenticode: 2, core: 3, engines: 4, store: 4, queue: 4, server: 4, cli: 4, vendors: 4, files: 4, containers: 4, alerts: 4, web: 4, app: 5 };
// Pure layers take bytes and data; only hashing/crypto is allowed there (Authenticode digests).
const allowedBuiltins = {
  binary: new Set(),
  formats: new Set(['node:zlib']),
  authenticode: new Set(['node:crypto']),
};

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : /\.tsx?$/.test(p) ? [p] : [];
  });
}
const layerOf = (file) => relative(src, file).split(sep)[0];
const problems = [];
for (const file of walk(src)) {
  const layer = layerOf(file);
  if (!(layer in rank)) { problems.push(`${relative(root, file)}: not inside a known layer folder`); continue; }
  const text = readFileSync(file, 'utf8');
  const re = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2];
    // The dashboard (src/web) runs in the browser and talks to the API over fetch: it may borrow core's *types* only.
    if (layer === 'web' && spec.startsWith('.') && layerOf(resolve(dirname(file), spec)) !== 'web' && !/^\s*(?:import|export)\s+type\s/.test(m[0].replace(/^\n/, ''))) {
      problems.push(`${relative(root, file)}: the dashboard may import only types from other layers (${spec})`);
    }
    if (layer === 'web' && spec.startsWith('node:')) problems.push(`${relative(root, file)}: the dashboard runs in the browser and must not import ${spec}`);
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(src)) continue;
      const tl = layerOf(target);
      const ok = tl === layer || (rank[tl] < rank[layer]);
      if (!ok) problems.push(`${relative(root, file)}: layer '${layer}' must not import '${tl}' (${spec})`);
    } else if (layer in allowedBuiltins) {
      const isBuiltin = spec.startsWith('node:');
      if (isBuiltin && !allowedBuiltins[layer].has(spec)) problems.push(`${relative(root, file)}: pure layer '${layer}' must not import ${spec}`);
      if (!isBuiltin && layer !== 'authenticode') problems.push(`${relative(root, file)}: pure layer '${layer}' must not import package ${spec}`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`check-layers: ${problems.length} boundary violation(s)`);
  process.exit(1);
}
console.log('check-layers: ok');
