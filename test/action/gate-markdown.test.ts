/**
 * `absolve gate --format markdown` (the gate's part of the action's job summary): the renderer on hostile names
 * and long file lists, and the command on a real recorded release.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEFAULT_GATE_POLICY, GATE_SCHEMA, type GateResult } from '../../src/core/gate/release-gate.ts';
import { GATE_MARKDOWN_MAX_FILES, renderGateMarkdown } from '../../src/cli/render-gate.ts';
import { repoRoot } from '../support/fixtures.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-gate-md-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function result(over: Partial<GateResult>): GateResult {
  return { schema: GATE_SCHEMA, product: 'contoso', version: '1.0', pass: true, reasons: [], policy: DEFAULT_GATE_POLICY, ...over };
}

describe('renderGateMarkdown', () => {
  it('a pass: one heading and one sentence', () => {
    assert.equal(renderGateMarkdown(result({})), '### Absolve gate: contoso@1.0: ✅ pass\n\nNo reason under the gate policy holds the release back: it may roll out.\n');
  });

  it('a fail: each reason with its files, capped; names cannot break the Markdown or the terminal', () => {
    const files = Array.from({ length: GATE_MARKDOWN_MAX_FILES + 3 }, (_, i) => `bin/app${i}.exe`);
    const text = renderGateMarkdown(
      result({
        product: 'con|toso <b>',
        pass: false,
        reasons: [
          { code: 'DETECTIONS', message: '13 file(s) flagged by more than 0 engine(s)', files },
          { code: 'SIGNATURE_POLICY', message: 'odd\nname\u001b[2J', files: ['a`b\u202e.exe'] },
        ],
      }),
    );
    assert.match(text, /^### Absolve gate: con\\\|toso &lt;b&gt;@1\.0: ❌ fail\n\n- \*\*DETECTIONS\*\*: 13 file\\\(s\\\) flagged/);
    assert.equal(text.match(/^ {2}- `bin\/app\d+\.exe`$/gm)?.length, GATE_MARKDOWN_MAX_FILES);
    assert.match(text, /^ {2}- … and 3 more$/m);
    assert.ok(![...text].some((c) => (c < ' ' && c !== '\n') || c === '\u202e'), 'no control or bidi character passes through');
    assert.match(text, /- \*\*SIGNATURE_POLICY\*\*: odd\\\\x0aname\\\\x1b\\\[2J\n {2}- `` a`b\\u\{202e\}\.exe ``\n$/);
  });
});

describe('absolve gate --format markdown', () => {
  it('renders the reasons of a real recorded release and exits 1', () => {
    const db = `sqlite:${join(scratch, 'store.db')}`;
    const cli = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
      const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'src/app/cli-entry.ts'), ...args], { cwd: scratch, encoding: 'utf8' });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const add = cli(['release', 'add', 'contoso', '1.0', join(repoRoot, 'examples/release/ContosoApp'), '--db', db, '--create', '--trust', join(repoRoot, 'examples/release/trust/contoso-root.pem'), '--fail-on', 'none']);
    assert.equal(add.code, 0, add.stderr);
    const gate = cli(['gate', 'contoso@1.0', '--db', db, '--format', 'markdown']);
    assert.equal(gate.code, 1, gate.stderr);
    assert.match(gate.stdout, /^### Absolve gate: contoso@1\.0: ❌ fail\n\n/);
    assert.match(gate.stdout, /^- \*\*SIGNATURE_POLICY\*\*: 2 file\\\(s\\\) not validly signed/m);
    assert.match(gate.stdout, /^- \*\*NOT_SCANNED\*\*: /m);
    assert.match(gate.stdout, /^ {2}- `updater\.exe`$/m);
    const json = cli(['gate', 'contoso@1.0', '--db', db, '--format', 'json']);
    assert.equal((JSON.parse(json.stdout) as GateResult).reasons.length, gate.stdout.match(/^- \*\*/gm)?.length, 'one item per reason of the JSON');
  });
});
