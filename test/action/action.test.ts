/**
 * The GitHub Action (action.yml) run locally, step by step, as a runner runs it (./composite-runner.ts): its bash
 * steps for real, the Absolve CLI for real (the sources through tsx stand in for the build in dist/), real release
 * fixtures, a local VirusTotal (test/support/fake-virustotal.ts) holding the API key as a secret, and real ClamAV and
 * YARA where installed. The upload-sarif step is stood in for by a check of the file it would upload against the
 * published SARIF 2.1.0 schema.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FAKE_VT_KEY, FakeVirusTotal } from '../support/fake-virustotal.ts';
import { repoRoot } from '../support/fixtures.ts';
import { markedBytes, writeClamavTestDatabase, writeYaraTestRules, CLAMAV_TEST_SIGNATURE } from '../support/local-engines.ts';
import { skipUnlessTools } from '../support/tools.ts';
import { readAction, runAction, type ActionRun, type UsesStandIn } from './composite-runner.ts';

const scratch = mkdtempSync(join(tmpdir(), 'absolve-action-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const action = readAction(join(repoRoot, 'action.yml'));
const example = join(repoRoot, 'examples', 'release');
const SIGNED = ['contoso.exe', 'contoso-helper.dll', 'legacy/tool32.exe', 'README.txt'];

/** The action's folder as `uses:` checks it out: action.yml, package.json, bin/ and node_modules, with dist/ already built. */
function actionCheckout(): string {
  const dir = join(scratch, 'action');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'app'), { recursive: true });
  for (const f of ['action.yml', 'package.json', 'bin/absolve.js']) copyFileSync(join(repoRoot, f), join(dir, f));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Stands in for `npm run build` (tsc into dist/, tested by the build itself): the same entry point from the sources.
  writeFileSync(
    join(dir, 'dist', 'app', 'cli-entry.js'),
    `import { register } from 'tsx/esm/api';\nregister();\nawait import(${JSON.stringify(pathToFileURL(join(repoRoot, 'src', 'app', 'cli-entry.ts')).href)});\n`,
  );
  return dir;
}

interface SarifLike {
  runs: Array<{ results: Array<{ ruleId?: string; message: { text: string }; locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string } } }> }> }>;
}

/** The published SARIF 2.1.0 schema (shipped by @microsoft/jest-sarif), compiled with ajv as test/cli/report-formats.test.ts does. */
function sarifSchemaValidator(): (data: unknown) => string[] {
  const require = createRequire(import.meta.url);
  const AjvDraft04 = require('ajv-draft-04') as new (options: object) => { compile(schema: object): { (data: unknown): boolean; errors?: unknown[] | null } };
  const addFormats = require('ajv-formats') as (ajv: object) => void;
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(repoRoot, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => JSON.stringify(e)));
}
const validateSarif = sarifSchemaValidator();

/** What the stand-in for github/codeql-action/upload-sarif received. */
interface Upload {
  file: string;
  category: string;
  sarif: SarifLike;
}

/** A workspace (GITHUB_WORKSPACE) with `files` (release path → source) under dist/ and the example's trust anchor under certs/. */
function workspace(name: string, files: Record<string, string | Buffer>): string {
  const ws = join(scratch, name, 'workspace');
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(join(ws, 'dist', path, '..'), { recursive: true });
    if (typeof source === 'string') copyFileSync(source, join(ws, 'dist', path));
    else writeFileSync(join(ws, 'dist', path), source);
  }
  mkdirSync(join(ws, 'certs'), { recursive: true });
  copyFileSync(join(example, 'trust', 'contoso-root.pem'), join(ws, 'certs', 'contoso-root.pem'));
  return ws;
}

function signedRelease(): Record<string, string> {
  return Object.fromEntries(SIGNED.map((p) => [p, join(example, 'ContosoApp', p)]));
}

function exampleRelease(): Record<string, string> {
  const root = join(example, 'ContosoApp');
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[relative(root, full)] = full;
    }
  };
  walk(root);
  return out;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Every text the run left behind where a person or a later step could read it. */
function everythingVisible(run: ActionRun, runnerTemp: string): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (!full.includes(`${join('store', '')}`)) files.push(readFileSync(full, 'utf8'));
    }
  };
  walk(runnerTemp);
  return [run.log, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.exportedEnv), ...files].join('\n');
}

let fake: FakeVirusTotal;
let actionDir = '';
before(async () => {
  fake = await FakeVirusTotal.start({ quota: { perWindow: 1000, windowMs: 60_000 } });
  for (const path of Object.values(exampleRelease())) fake.addKnownFile(sha256(path), {});
  actionDir = actionCheckout();
});
after(() => fake.close());

interface Scenario {
  name: string;
  files: Record<string, string | Buffer>;
  inputs: Record<string, string>;
  env?: Record<string, string>;
  /** Files written into the workspace before the run (a configuration, rules). */
  extra?: (workspace: string) => Promise<void>;
}

async function run(s: Scenario): Promise<{ run: ActionRun; uploads: Upload[]; runnerTemp: string; workspace: string }> {
  const ws = workspace(s.name, s.files);
  await s.extra?.(ws);
  const runnerTemp = join(scratch, s.name, 'runner-temp');
  const home = join(scratch, s.name, 'home');
  mkdirSync(runnerTemp, { recursive: true });
  mkdirSync(home, { recursive: true });
  const uploads: Upload[] = [];
  const uploadSarif: UsesStandIn = (inputs) => {
    const file = inputs.sarif_file ?? '';
    const sarif = JSON.parse(readFileSync(file, 'utf8')) as SarifLike;
    const errors = validateSarif(sarif);
    uploads.push({ file, category: inputs.category ?? '', sarif });
    return Promise.resolve({ ok: errors.length === 0, log: errors.length === 0 ? `uploaded ${file}\n` : `invalid SARIF: ${errors.slice(0, 3).join('; ')}\n` });
  };
  const result = await runAction(action, {
    actionDir,
    workspace: ws,
    runnerTemp,
    inputs: s.inputs,
    // A runner's environment: no secrets unless the workflow passes them (here through the scenario's env).
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local', 'share'), NO_COLOR: '1', ...s.env },
    github: { repository: 'contoso/contoso-app', sha: '0123456789abcdef0123456789abcdef01234567', ref_name: 'v1.0.0', event: { repository: { name: 'contoso-app' } } },
    uses: { 'github/codeql-action/upload-sarif': uploadSarif },
  });
  return { run: result, uploads, runnerTemp, workspace: ws };
}

const vtEnv = (): Record<string, string> => ({ VT_API_KEY: FAKE_VT_KEY, VT_API_URL: fake.baseUrl, VT_QUOTA_PER_MINUTE: '1000' });

function step(r: ActionRun, id: string): ActionRun['steps'][number] {
  const s = r.steps.find((x) => x.id === id || x.name === id);
  assert.ok(s, `no step ${id}`);
  return s;
}

describe('action.yml', () => {
  it('is a composite action whose run: steps take inputs only through env: and whose uses: are pinned to a major', () => {
    assert.equal(action.runs.using, 'composite');
    for (const s of action.runs.steps) {
      if (s.run !== undefined) {
        assert.equal(s.shell, 'bash', s.name);
        assert.doesNotMatch(s.run, /\$\{\{/, `${String(s.name)}: no expression inside run: (script injection)`);
      } else {
        assert.match(s.uses ?? '', /^[\w.-]+\/[\w./-]+@v\d+$/, `${String(s.name)}: pinned to a major version`);
      }
    }
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@') === true);
    assert.ok(upload?.with?.category !== undefined, 'the SARIF upload names a category');
    for (const input of ['path', 'product', 'version', 'engines', 'fail-on', 'trust', 'upload-sarif', 'config', 'store']) assert.ok(action.inputs[input], input);
    for (const output of ['sarif', 'verdict', 'gate-pass']) assert.ok(action.outputs[output], output);
  });

  it('a clean signed release passes: audit, record, scan (VirusTotal, key from a secret), gate; SARIF uploaded, summary written, outputs set', async () => {
    const lookupsBefore = fake.requests('GET', /^\/api\/v3\/files\//).length;
    const { run: r, uploads, runnerTemp } = await run({
      name: 'clean',
      files: signedRelease(),
      inputs: { path: 'dist', version: '1.0.0', engines: 'virustotal', trust: 'certs/contoso-root.pem' },
      env: vtEnv(),
    });
    assert.equal(r.failed, false, r.log);
    assert.equal(r.exitCode, 0);
    assert.deepEqual(
      r.steps.map((s) => [s.id ?? s.name, s.conclusion]),
      [['setup', 'success'], ['audit', 'success'], ['scan', 'success'], ['gate', 'success'], ['verdict', 'success'], ['Upload SARIF to code scanning', 'success'], ['Result', 'success']],
    );
    assert.equal(r.outputs.verdict, 'pass');
    assert.equal(r.outputs['gate-pass'], 'true');
    assert.equal(r.outputs['exit-code'], '0');
    assert.ok(r.outputs.sarif?.startsWith(runnerTemp) === true && existsSync(r.outputs.sarif), r.outputs.sarif);
    assert.equal(readFileSync(r.outputs.summary ?? '', 'utf8'), r.summary, 'the summary file is what the job summary got');
    assert.equal(fake.requests('GET', /^\/api\/v3\/files\//).length - lookupsBefore, SIGNED.length, 'VirusTotal was asked once per file, with the key');

    assert.equal(uploads.length, 1);
    assert.equal(uploads[0]?.category, 'absolve');
    assert.equal(uploads[0]?.file, r.outputs.sarif);
    assert.ok(!uploads[0]?.sarif.runs[0]?.results.some((x) => x.ruleId === 'NOT_SIGNED' || x.ruleId === 'ABS-FP-001'), 'nothing unsigned');

    assert.match(r.summary, /^# Absolve: ✅ pass\n/);
    assert.match(r.summary, /## Absolve audit: ✅ policy met/);
    assert.match(r.summary, /### Absolve scan: 0 of 4 file\(s\) flagged/);
    assert.match(r.summary, /### Absolve gate: contoso-app@1\.0\.0: ✅ pass/);
    assert.ok(!everythingVisible(r, runnerTemp).includes(FAKE_VT_KEY), 'the API key appears in no log, summary, output or file');
  });

  it('the example release (unsigned updater.exe) fails with exit code 1, and still writes and uploads the SARIF and the summary with the gate reasons', async () => {
    const { run: r, uploads, runnerTemp } = await run({
      name: 'example',
      files: exampleRelease(),
      inputs: { path: 'dist', product: 'contoso', version: '1.0.0', engines: 'virustotal', trust: 'certs/contoso-root.pem' },
      env: vtEnv(),
    });
    assert.equal(r.failed, true);
    assert.equal(r.exitCode, 1, 'the workflow step fails with the policy exit code');
    assert.equal(step(r, 'Result').conclusion, 'failure');
    assert.equal(step(r, 'Result').exitCode, 1);
    assert.equal(step(r, 'audit').conclusion, 'success', 'the audit step keeps its exit code as an output and lets the job go on');
    assert.equal(r.outputs.verdict, 'fail');
    assert.equal(r.outputs['gate-pass'], 'false');
    assert.equal(r.outputs['exit-code'], '1');
    assert.match(r.log, /^::error title=Absolve \(fail\)::audit: the release does not meet the policy/m);
    assert.match(r.log, /^::error title=Absolve \(fail\)::gate: the release may not roll out/m);

    assert.equal(uploads.length, 1, 'the SARIF is uploaded although the policy failed');
    const results = uploads[0]?.sarif.runs[0]?.results ?? [];
    const unsigned = results.filter((x) => x.ruleId === 'ABS-FP-001').map((x) => x.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
    assert.deepEqual(unsigned.sort(), ['dist/plugin.bin', 'dist/updater.exe'], 'URIs relative to the workspace, so code scanning maps them to the repository');

    assert.match(r.summary, /^# Absolve: ❌ fail\n\n- audit: the release does not meet the policy \(fail-on: policy\)\n- gate: the release may not roll out\n/);
    assert.match(r.summary, /## Absolve audit: ❌ 2 files break the signing policy/);
    assert.match(r.summary, /### Absolve scan: 0 of 7 file\(s\) flagged/);
    assert.match(r.summary, /### Absolve gate: contoso@1\.0\.0: ❌ fail\n\n- \*\*SIGNATURE_POLICY\*\*: [^\n]*\n( {2}- `[^`]+`\n)* {2}- `updater\.exe`/);
    assert.ok(!everythingVisible(r, runnerTemp).includes(FAKE_VT_KEY));
  });

  it('without a version only the audit runs: exit 1 for the example release, no scan or gate, SARIF uploaded under the given category', async () => {
    const { run: r, uploads } = await run({ name: 'audit-only', files: exampleRelease(), inputs: { path: 'dist', trust: 'certs/contoso-root.pem', category: 'absolve-windows' } });
    assert.equal(r.exitCode, 1);
    assert.equal(step(r, 'scan').conclusion, 'skipped');
    assert.equal(step(r, 'gate').conclusion, 'skipped');
    assert.equal(r.outputs['gate-pass'], '');
    assert.equal(r.outputs.verdict, 'fail');
    assert.deepEqual(uploads.map((u) => u.category), ['absolve-windows']);
    assert.match(r.summary, /## Absolve audit: ❌ 2 files break the signing policy/);
    assert.doesNotMatch(r.summary, /Absolve scan|Absolve gate/);
  });

  it('several paths, fail-on none and upload-sarif false: the unsigned files pass the audit, nothing is uploaded, the summary is still written', async () => {
    const { run: r, uploads } = await run({ name: 'lenient', files: exampleRelease(), inputs: { path: '\n  dist/updater.exe \n\ndist/legacy\n', 'fail-on': 'none', 'upload-sarif': 'false' } });
    assert.equal(r.failed, false, r.log);
    const sarif = JSON.parse(readFileSync(r.outputs.sarif ?? '', 'utf8')) as SarifLike;
    const uris = new Set(sarif.runs[0]?.results.map((x) => x.locations?.[0]?.physicalLocation?.artifactLocation?.uri));
    assert.deepEqual([...uris].sort(), ['dist/legacy/tool32.exe', 'dist/updater.exe'], 'one path per line, blank lines and spaces dropped');
    assert.equal(r.outputs.verdict, 'pass');
    assert.equal(uploads.length, 0);
    assert.equal(step(r, 'Upload SARIF to code scanning').conclusion, 'skipped');
    assert.match(r.summary, /^# Absolve: ✅ pass\n/);
    assert.match(r.summary, /## Absolve audit: ❌/, 'the audit summary still tells the truth about the files');
  });

  it('a rejected API key: the scan gets no answer, the action ends with exit 2 (error), and the key is printed nowhere', async () => {
    const wrongKey = 'wrong-secret-key-5b1f0e77c2';
    const { run: r, uploads, runnerTemp } = await run({
      name: 'bad-key',
      files: signedRelease(),
      inputs: { path: 'dist', version: '1.0.0', engines: 'virustotal', trust: 'certs/contoso-root.pem' },
      env: { ...vtEnv(), VT_API_KEY: wrongKey },
    });
    assert.equal(r.exitCode, 2, r.log);
    assert.equal(r.outputs.verdict, 'error');
    assert.equal(r.outputs['gate-pass'], 'false', 'not scanned is not clean');
    assert.match(r.log, /SCAN_INCOMPLETE/);
    assert.match(r.summary, /- scan: incomplete or not configured \(exit 2/);
    assert.equal(uploads.length, 1, 'the audit SARIF is still uploaded');
    assert.ok(!everythingVisible(r, runnerTemp).includes(wrongKey), 'the key appears in no log, summary, output or file');
  });

  it('no path: a clear error and exit 2, before any audit', async () => {
    const { run: r, uploads } = await run({ name: 'no-path', files: {}, inputs: { path: ' \n ' } });
    assert.equal(r.exitCode, 2);
    assert.match(r.log, /::error title=Absolve::the path input is empty/);
    assert.equal(r.outputs.sarif, '');
    assert.equal(uploads.length, 0, 'no SARIF, no upload');
    assert.match(r.summary, /^# Absolve: ⚠️ error\n\n- audit: error \(exit 2/);
  });

  it('refuses an input that action.yml does not declare (a typo in a workflow would otherwise do nothing)', async () => {
    await assert.rejects(run({ name: 'typo', files: {}, inputs: { engine: 'clamav' } }), /input 'engine' is not declared/);
  });

  it('real ClamAV and YARA through a configuration file: a marked file is flagged by both and the gate fails on it', { skip: skipUnlessTools('clamscan', 'yara') }, async () => {
    const { run: r } = await run({
      name: 'local-engines',
      files: { ...signedRelease(), 'notes.txt': markedBytes() },
      inputs: { path: 'dist', version: '1.0.0', engines: 'clamav,yara', trust: 'certs/contoso-root.pem', config: 'absolve.config.json', 'upload-sarif': 'false' },
      extra: async (ws) => {
        await writeClamavTestDatabase(join(ws, 'clamav-db'));
        await writeYaraTestRules(join(ws, 'rules'));
        writeFileSync(join(ws, 'absolve.config.json'), JSON.stringify({ clamav: { database: 'clamav-db' }, yara: { rules: ['rules/absolve_test.yar'] } }));
      },
    });
    assert.equal(r.exitCode, 1, r.log);
    assert.equal(r.outputs['gate-pass'], 'false');
    assert.match(r.summary, new RegExp(`${CLAMAV_TEST_SIGNATURE.replace(/\./g, '\\\\?\\.')}`));
    assert.match(r.summary, /\*\*DETECTIONS\*\*/);
  });
});
