import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerClassifyCommand } from '../../../src/cli/commands/classify-command.ts';

function capture(): { stream: Writable; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

async function run(args: string[]): Promise<string> {
  const out = capture();
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerClassifyCommand(program, { stdout: out.stream });
  await program.parseAsync(args, { from: 'user' });
  return out.text();
}

describe('absolve classify', () => {
  it('prints the classification as JSON followed by a newline', async () => {
    const text = await run(['classify', 'Microsoft', 'Trojan:Win32/Wacatac.B!ml', '--format', 'json']);
    assert.ok(text.endsWith('}\n'));
    const parsed = JSON.parse(text) as Record<string, unknown>;
    assert.equal(parsed.engine, 'Microsoft');
    assert.equal(parsed.kind, 'ml');
    assert.equal(parsed.generic, true);
    assert.equal(typeof parsed.explanation, 'string');
    assert.ok('source' in parsed);
    assert.equal(process.exitCode ?? 0, 0);
  });

  it('prints aligned key: value lines by default', async () => {
    const text = await run(['classify', 'CrowdStrike', 'win/malicious_confidence_90% (W)']);
    const lines = text.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => l.slice(0, l.indexOf(':'))),
      ['engine', 'kind', 'generic', 'confidence', 'explanation', 'source'],
    );
    const valueColumns = new Set(lines.map((l) => l.length - l.slice(l.indexOf(':') + 1).trimStart().length));
    assert.equal(valueColumns.size, 1, 'values start in one column');
    assert.match(text, /^engine: +CrowdStrike Falcon$/m);
    assert.match(text, /^confidence: +90$/m);
    assert.match(text, /^generic: +yes$/m);
  });

  it('shows the family for a specific family name', async () => {
    const text = await run(['classify', 'ESET-NOD32', 'Win32/Emotet.A', '-f', 'table']);
    assert.match(text, /^kind: +family$/m);
    assert.match(text, /^family: +Emotet$/m);
    assert.match(text, /^generic: +no$/m);
  });

  it('rejects an unknown format', async () => {
    await assert.rejects(run(['classify', 'Microsoft', 'x', '--format', 'xml']), /format/);
  });
});
