/**
 * The test evaluator of GitHub expressions (./expressions.ts) and environment files (./composite-runner.ts):
 * GitHub's documented semantics for what action.yml uses, and a refusal for everything else, so the action test
 * cannot pass by evaluating an expression it does not understand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, evaluateCondition, ExpressionError, interpolate, type ExprContext } from './expressions.ts';
import { parseEnvironmentFile } from './composite-runner.ts';

function ctx(over: Partial<ExprContext> = {}): ExprContext {
  return {
    inputs: { path: 'dist', 'upload-sarif': 'true', version: '' },
    github: { repository: 'contoso/app', event: { repository: { name: 'app' } } },
    steps: { audit: { outputs: { sarif: '/tmp/a.sarif', 'exit-code': '1' }, outcome: 'success', conclusion: 'success' } },
    knownSteps: new Set(['audit', 'gate']),
    env: { FOO: 'bar' },
    failed: false,
    cancelled: false,
    ...over,
  };
}

describe('expressions', () => {
  it('reads inputs (with hyphens), github, steps outputs and env; a missing output or env is null', () => {
    assert.equal(evaluate("inputs.upload-sarif == 'true'", ctx()), true);
    assert.equal(evaluate('github.event.repository.name', ctx()), 'app');
    assert.equal(evaluate("github['repository']", ctx()), 'contoso/app');
    assert.equal(evaluate('steps.audit.outputs.sarif', ctx()), '/tmp/a.sarif');
    assert.equal(evaluate('steps.gate.outputs.pass', ctx()), null);
    assert.equal(evaluate('steps.audit.outcome', ctx()), 'success');
    assert.equal(evaluate('env.FOO', ctx()), 'bar');
    assert.equal(evaluate('env.NOPE', ctx()), null);
  });

  it('compares as GitHub does: strings ignore case, other mixes become numbers (so a missing output equals \'0\')', () => {
    assert.equal(evaluate("'ABC' == 'abc'", ctx()), true);
    assert.equal(evaluate("steps.gate.outputs.pass == '0'", ctx()), true, 'null and \'0\' are both 0');
    assert.equal(evaluate("steps.gate.outputs.pass == 'true'", ctx()), false);
    assert.equal(evaluate("steps.gate.outputs.pass != ''", ctx()), false, "null == ''");
    assert.equal(evaluate("steps.audit.outputs.exit-code == 1", ctx()), true);
    assert.equal(evaluate("'it''s'", ctx()), "it's");
  });

  it('&& and || return an operand; ! negates; parentheses group', () => {
    assert.equal(evaluate("inputs.version || 'none'", ctx()), 'none');
    assert.equal(evaluate("inputs.path && 'yes'", ctx()), 'yes');
    assert.equal(evaluate("!(inputs.version == '' && true)", ctx()), false);
  });

  it('if: adds success() unless a status function is used; !cancelled() runs after a failure', () => {
    assert.equal(evaluateCondition(undefined, ctx({ failed: true })), false);
    assert.equal(evaluateCondition("inputs.path == 'dist'", ctx({ failed: true })), false);
    assert.equal(evaluateCondition("${{ !cancelled() && inputs.path == 'dist' }}", ctx({ failed: true })), true);
    assert.equal(evaluateCondition('${{ !cancelled() }}', ctx({ cancelled: true })), false);
    assert.equal(evaluateCondition('always()', ctx({ failed: true, cancelled: true })), true);
    assert.equal(evaluateCondition('failure()', ctx({ failed: true })), true);
  });

  it('interpolates ${{ }} parts into text', () => {
    assert.equal(interpolate('${{ github.event.repository.name }}@${{ inputs.path }}!', ctx()), 'app@dist!');
    assert.equal(interpolate('${{ steps.gate.outputs.pass }}', ctx()), '');
    assert.equal(interpolate('${{ inputs.path == \'dist\' }}', ctx()), 'true');
  });

  it('refuses what it does not implement, and names that do not exist', () => {
    for (const source of [
      "contains(inputs.path, 'd')",
      'secrets.VT_API_KEY',
      'runner.temp',
      'matrix.os',
      'inputs.nope',
      'steps.nope.outputs.x',
      'steps.audit.result',
      'github.nope',
      "inputs.path > 'a'",
      'inputs.*',
      'steps[0]',
      "format('{0}', inputs.path)",
      '',
      "'open",
    ]) {
      assert.throws(() => evaluate(source, ctx()), ExpressionError, source);
    }
    assert.throws(() => interpolate('${{ inputs.path', ctx()), ExpressionError);
    assert.throws(() => evaluateCondition("x ${{ inputs.path }}", ctx()), ExpressionError);
  });
});

describe('environment files (GITHUB_OUTPUT, GITHUB_ENV)', () => {
  it('reads name=value and name<<DELIMITER blocks; a value keeps its = signs', () => {
    assert.deepEqual(parseEnvironmentFile('a=1\nurl=x=y\n\ntext<<EOF\nline 1\nline 2\nEOF\nb=\n'), { a: '1', url: 'x=y', text: 'line 1\nline 2', b: '' });
  });

  it('refuses an unterminated block and a line without a name', () => {
    assert.throws(() => parseEnvironmentFile('text<<EOF\nline\n'), /no closing EOF/);
    assert.throws(() => parseEnvironmentFile('=value\n'), /bad line/);
  });
});
