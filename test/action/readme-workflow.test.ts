/**
 * The README's "GitHub Actions" section against action.yml, so the documentation cannot drift from the action:
 * the workflow example is valid YAML, passes only inputs the action declares, grants `security-events: write`,
 * and the input and output tables list exactly what action.yml declares.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from '../support/fixtures.ts';
import { readAction } from './composite-runner.ts';

const action = readAction(join(repoRoot, 'action.yml'));
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** The section from `## GitHub Actions` to the next `## ` heading. */
function section(): string {
  const start = readme.indexOf('\n## GitHub Actions\n');
  assert.ok(start >= 0, 'the README has a GitHub Actions section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; permissions?: Record<string, string>; steps: WorkflowStep[] }>;
}

function workflow(): Workflow {
  const blocks = [...section().matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  assert.equal(blocks.length, 1, 'one workflow example');
  return parse(blocks[0] ?? '') as Workflow;
}

/** The first column of the table whose header starts with `| <first> |`. */
function tableNames(first: string): string[] {
  const lines = section().split('\n');
  const head = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  assert.ok(head >= 0, `a table of ${first}s`);
  const names: string[] = [];
  for (const line of lines.slice(head + 2)) {
    const m = /^\| `([^`]+)` \|/.exec(line);
    if (m === null) break;
    names.push(m[1] ?? '');
  }
  return names;
}

describe('README: GitHub Actions', () => {
  it('the workflow example uses the action with inputs that action.yml declares, and checks out the code first', () => {
    const wf = workflow();
    const jobs = Object.values(wf.jobs);
    assert.equal(jobs.length, 1);
    const steps = jobs[0]?.steps ?? [];
    const uses = steps.filter((s) => /^[\w.-]+\/absolve@/.test(s.uses ?? ''));
    assert.equal(uses.length, 1, 'one step uses the Absolve action');
    const step = uses[0] ?? {};
    const given = Object.keys(step.with ?? {});
    assert.ok(given.length >= 5, 'the example shows the main inputs');
    for (const input of given) assert.ok(Object.hasOwn(action.inputs, input), `the README passes '${input}', which action.yml does not declare`);
    assert.ok(steps.findIndex((s) => s.uses?.startsWith('actions/checkout@') === true) < steps.indexOf(step), 'checkout comes before the action');
    assert.ok(steps.some((s) => s.run !== undefined && steps.indexOf(s) < steps.indexOf(step)), 'a build step comes before the action');
    for (const [name, value] of Object.entries(step.env ?? {})) assert.match(String(value), /^\$\{\{ secrets\.\w+ \}\}$/, `${name} comes from a secret`);
    // Outputs the example reads exist.
    for (const m of JSON.stringify(steps).matchAll(/steps\.absolve\.outputs\.([\w-]+)/g)) assert.ok(Object.hasOwn(action.outputs, m[1] ?? ''), `output ${m[1]}`);
  });

  it('grants security-events: write (the SARIF upload needs it)', () => {
    const wf = workflow();
    const job = Object.values(wf.jobs)[0];
    assert.equal(job?.permissions?.['security-events'] ?? wf.permissions?.['security-events'], 'write');
  });

  it('the input and output tables list exactly the inputs and outputs of action.yml', () => {
    assert.deepEqual(tableNames('input').sort(), Object.keys(action.inputs).sort());
    assert.deepEqual(tableNames('output').sort(), Object.keys(action.outputs).sort());
  });

  it('the tables give the defaults action.yml has', () => {
    const rows = new Map(section().split('\n').flatMap((l) => {
      const cells = l.split(' | ');
      const m = /^\| `([^`]+)`$/.exec(cells[0] ?? '');
      return m === null || cells.length < 3 ? [] : [[m[1] ?? '', (cells[cells.length - 1] ?? '').replace(/ \|$/, '')] as const];
    }));
    for (const [name, spec] of Object.entries(action.inputs)) {
      const documented = rows.get(name);
      assert.ok(documented !== undefined, name);
      if (spec.default !== undefined && spec.default !== '' && !spec.default.includes('${{')) assert.equal(documented, `\`${spec.default}\``, `default of ${name}`);
    }
  });
});
