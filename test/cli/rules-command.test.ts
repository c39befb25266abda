import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerRulesCommand, type RuleListing } from '../../src/cli/commands/rules-command.ts';
import { LINT_RULES } from '../../src/core/lint/index.ts';

async function run(args: string[]): Promise<string> {
  const chunks: string[] = [];
  const stdout = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerRulesCommand(program, { stdout, width: () => 80 });
  await program.parseAsync(args, { from: 'user' });
  return chunks.join('');
}

describe('absolve rules', () => {
  it('lists every rule as an aligned table: ID, severity, default on/off, title', async () => {
    const text = await run(['rules']);
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID +SEVERITY +DEFAULT +TITLE$/);
    assert.equal(lines.length, LINT_RULES.length + 1);
    assert.match(text, /^ABS-SIG-001 +error +on +SHA-2 signature present$/m);
    assert.match(text, /^ABS-SIG-015 +note +off +Primary signature uses SHA-1 \(compat\)$/m);
    assert.match(text, /^ABS-FP-013 +error +on +No double extension$/m);
    const titleColumn = new Set(lines.slice(1).map((l) => l.search(/\S+$/) >= 0 && l.indexOf(l.split(/ {2,}/)[3] ?? '')));
    assert.equal(titleColumn.size, 1, 'titles start in one column');
  });

  it('--format json carries the metadata', async () => {
    const parsed = JSON.parse(await run(['rules', '--format', 'json'])) as { schema: string; rules: RuleListing[] };
    assert.equal(parsed.schema, 'absolve.rules/v1');
    assert.equal(parsed.rules.length, LINT_RULES.length);
    const fp2 = parsed.rules.find((r) => r.id === 'ABS-FP-002');
    assert.equal(fp2?.fix, 'Sign every binary before packaging, then build and sign the container.');
    assert.equal(parsed.rules.find((r) => r.id === 'ABS-SIG-010')?.authenticodeLint, 10009);
    assert.equal(fp2?.authenticodeLint, null);
  });

  it('rules <ID> explains one rule, wrapped to the width; an unknown ID is a usage error', async () => {
    const text = await run(['rules', 'abs-sig-004']);
    assert.match(text, /^ABS-SIG-004\ntitle: +Timestamped\n/);
    assert.match(text, /^fix: +Timestamp every signature/m);
    assert.ok(text.split('\n').every((l) => l.length <= 80));
    const one = JSON.parse(await run(['rules', 'ABS-FP-001', '--format', 'json'])) as { schema: string; rules: RuleListing[] };
    assert.deepEqual(one.rules.map((r) => r.id), ['ABS-FP-001']);
    await assert.rejects(run(['rules', 'ABS-NOPE']), (e: unknown) => e instanceof Error && /USAGE|no rule 'ABS-NOPE'/.test(`${(e as { code?: string }).code ?? ''} ${e.message}`));
  });

  it('rejects an unknown format', async () => {
    await assert.rejects(run(['rules', '--format', 'xml']), /format/);
  });
});
