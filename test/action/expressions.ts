/**
 * The part of GitHub Actions' expression language that action.yml uses, evaluated as the runner does
 * (https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/evaluate-expressions-in-workflows):
 * literals ('string' with '' for a quote, numbers, true, false, null), property access on the contexts `inputs`,
 * `github`, `steps` and `env` (`a.b`, `a['b']`), `!`, `==`, `!=`, `&&`, `||`, parentheses, and the status
 * functions `success()`, `failure()`, `always()`, `cancelled()`. Anything else (other contexts such as
 * `secrets` or `runner`, other functions, `<`, `*` filters, …) throws, so an action that starts using more of the
 * language makes the test fail instead of being evaluated wrongly.
 *
 * Semantics kept from the documentation: strings compare case-insensitively; operands of different types are
 * compared as numbers; `&&`/`||` return an operand; falsy are false, 0, -0, '', null and NaN; a missing
 * property is null; an `if:` without a status function is `success() && (…)`.
 */

export type ExprValue = string | number | boolean | null | { readonly [key: string]: unknown } | readonly unknown[];

export interface StepState {
  outputs: Record<string, string>;
  outcome: 'success' | 'failure' | 'skipped';
  conclusion: 'success' | 'failure' | 'skipped';
}

export interface ExprContext {
  /** The action's inputs with defaults applied; an undeclared name throws (a typo would otherwise read as ''). */
  inputs: Record<string, string>;
  github: Record<string, unknown>;
  /** Steps that ran or were skipped so far; `knownSteps` lists every step id of the action. */
  steps: Record<string, StepState>;
  knownSteps: ReadonlySet<string>;
  env: Record<string, string>;
  /** Job status so far, for the status functions. */
  failed: boolean;
  cancelled: boolean;
}

export class ExpressionError extends Error {}

type Token =
  | { kind: 'str'; value: string }
  | { kind: 'num'; value: number }
  | { kind: 'id'; value: string }
  | { kind: 'op'; value: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new ExpressionError(`unterminated string in: ${source}`);
        if (source[i] === "'") {
          if (source[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += source[i];
        i++;
      }
      tokens.push({ kind: 'str', value });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^-?(0x[0-9a-fA-F]+|[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)/.exec(source.slice(i));
      if (m === null) throw new ExpressionError(`bad number in: ${source}`);
      tokens.push({ kind: 'num', value: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(source.slice(i));
      const id = m?.[0] ?? c;
      tokens.push({ kind: 'id', value: id });
      i += id.length;
    } else {
      const two = source.slice(i, i + 2);
      if (['==', '!=', '&&', '||'].includes(two)) {
        tokens.push({ kind: 'op', value: two });
        i += 2;
      } else if ('!().[]'.includes(c)) {
        tokens.push({ kind: 'op', value: c });
        i++;
      } else {
        throw new ExpressionError(`unsupported character '${c}' in: ${source}`);
      }
    }
  }
  return tokens;
}

const CONTEXTS = ['inputs', 'github', 'steps', 'env'] as const;
const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

function truthy(v: ExprValue): boolean {
  return !(v === false || v === null || v === '' || v === 0 || (typeof v === 'number' && Number.isNaN(v)));
}

function toNumber(v: ExprValue): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return Number.NaN;
}

function equal(a: ExprValue, b: ExprValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a === null && b === null) return true;
  if (typeof a === 'object' || typeof b === 'object') {
    if (a === null || b === null) return toNumber(a) === toNumber(b);
    return a === b;
  }
  if (typeof a === typeof b) return a === b;
  return toNumber(a) === toNumber(b);
}

/** A value as text, as the runner writes it into `env:`, `with:` and inputs. */
export function asString(v: ExprValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ExpressionError('an object or array used as text');
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];
  usedStatusFunction = false;

  constructor(
    private readonly source: string,
    private readonly ctx: ExprContext,
  ) {
    this.tokens = tokenize(source);
  }

  parse(): ExprValue {
    if (this.tokens.length === 0) throw new ExpressionError('empty expression');
    const v = this.or();
    if (this.pos !== this.tokens.length) throw new ExpressionError(`unexpected '${String(this.tokens[this.pos]?.value)}' in: ${this.source}`);
    return v;
  }

  private peek(value: string): boolean {
    const t = this.tokens[this.pos];
    return t !== undefined && t.kind === 'op' && t.value === value;
  }

  private expect(value: string): void {
    if (!this.peek(value)) throw new ExpressionError(`expected '${value}' in: ${this.source}`);
    this.pos++;
  }

  private or(): ExprValue {
    let left = this.and();
    while (this.peek('||')) {
      this.pos++;
      const right = this.and();
      left = truthy(left) ? left : right;
    }
    return left;
  }

  private and(): ExprValue {
    let left = this.equality();
    while (this.peek('&&')) {
      this.pos++;
      const right = this.equality();
      left = truthy(left) ? right : left;
    }
    return left;
  }

  private equality(): ExprValue {
    let left = this.unary();
    while (this.peek('==') || this.peek('!=')) {
      const op = this.tokens[this.pos]?.value;
      this.pos++;
      const right = this.unary();
      left = op === '==' ? equal(left, right) : !equal(left, right);
    }
    return left;
  }

  private unary(): ExprValue {
    if (this.peek('!')) {
      this.pos++;
      return !truthy(this.unary());
    }
    return this.primary();
  }

  private primary(): ExprValue {
    const t = this.tokens[this.pos];
    if (t === undefined) throw new ExpressionError(`unexpected end of: ${this.source}`);
    this.pos++;
    if (t.kind === 'str' || t.kind === 'num') return t.value;
    if (t.kind === 'op') {
      if (t.value !== '(') throw new ExpressionError(`unexpected '${t.value}' in: ${this.source}`);
      const v = this.or();
      this.expect(')');
      return v;
    }
    if (t.value === 'true') return true;
    if (t.value === 'false') return false;
    if (t.value === 'null') return null;
    if ((STATUS_FUNCTIONS as readonly string[]).includes(t.value)) {
      this.expect('(');
      this.expect(')');
      this.usedStatusFunction = true;
      switch (t.value) {
        case 'success':
          return !this.ctx.failed && !this.ctx.cancelled;
        case 'failure':
          return this.ctx.failed;
        case 'cancelled':
          return this.ctx.cancelled;
        default:
          return true;
      }
    }
    if (!(CONTEXTS as readonly string[]).includes(t.value)) throw new ExpressionError(`unsupported name '${t.value}' in: ${this.source} (the test evaluator knows ${[...CONTEXTS, ...STATUS_FUNCTIONS].join(', ')})`);
    const path: string[] = [t.value];
    for (;;) {
      if (this.peek('.')) {
        this.pos++;
        const key = this.tokens[this.pos];
        if (key?.kind !== 'id') throw new ExpressionError(`expected a property name in: ${this.source}`);
        this.pos++;
        path.push(key.value);
      } else if (this.peek('[')) {
        this.pos++;
        const key = this.tokens[this.pos];
        if (key?.kind !== 'str') throw new ExpressionError(`only ['name'] indexing is supported in: ${this.source}`);
        this.pos++;
        this.expect(']');
        path.push(key.value);
      } else {
        break;
      }
    }
    if (this.peek('(')) throw new ExpressionError(`unsupported function call in: ${this.source}`);
    return this.lookup(path);
  }

  private lookup(path: string[]): ExprValue {
    const [context, first, second, third, ...rest] = path;
    switch (context) {
      case 'inputs': {
        if (first === undefined || second !== undefined) throw new ExpressionError(`inputs takes one name: ${this.source}`);
        if (!Object.hasOwn(this.ctx.inputs, first)) throw new ExpressionError(`inputs.${first} is not declared in action.yml`);
        return this.ctx.inputs[first] ?? null;
      }
      case 'env':
        if (first === undefined || second !== undefined) throw new ExpressionError(`env takes one name: ${this.source}`);
        return this.ctx.env[first] ?? null;
      case 'steps': {
        if (first === undefined) throw new ExpressionError(`steps needs a step id: ${this.source}`);
        if (!this.ctx.knownSteps.has(first)) throw new ExpressionError(`steps.${first}: no step has that id`);
        const step = this.ctx.steps[first];
        if (second === 'outputs') {
          if (third === undefined || rest.length > 0) throw new ExpressionError(`steps.${first}.outputs takes one name: ${this.source}`);
          return step?.outputs[third] ?? null;
        }
        if ((second === 'outcome' || second === 'conclusion') && third === undefined) return step?.[second] ?? null;
        throw new ExpressionError(`unsupported steps property in: ${this.source}`);
      }
      case undefined:
        throw new ExpressionError(`empty name in: ${this.source}`);
      default: {
        // github (the parser admits no other context): the test supplies the properties the action reads; one it did not supply is an error, not ''.
        let v: unknown = this.ctx.github;
        for (const key of path.slice(1)) {
          if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) throw new ExpressionError(`github.${path.slice(1).join('.')} is not in the test's github context`);
          v = (v as Record<string, unknown>)[key];
        }
        return v as ExprValue;
      }
    }
  }
}

/** One expression (the text between `${{` and `}}`). */
export function evaluate(source: string, ctx: ExprContext): ExprValue {
  return new Parser(source, ctx).parse();
}

/** A step's `if:`: bare or wrapped in `${{ }}`; without a status function it is `success() && (…)`. */
export function evaluateCondition(condition: string | undefined, ctx: ExprContext): boolean {
  if (condition === undefined) return !ctx.failed && !ctx.cancelled;
  const trimmed = condition.trim();
  const wrapped = /^\$\{\{([\s\S]*)\}\}$/.exec(trimmed);
  const source = wrapped?.[1] ?? trimmed;
  if (source.includes('${{')) throw new ExpressionError(`an if: mixing text and expressions: ${condition}`);
  const parser = new Parser(source, ctx);
  const value = truthy(parser.parse());
  return parser.usedStatusFunction ? value : value && !ctx.failed && !ctx.cancelled;
}

/** A string with `${{ … }}` parts (env, with, inputs' defaults, outputs' values), each replaced by its value as text. */
export function interpolate(text: string, ctx: ExprContext): string {
  let out = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf('${{');
    if (start < 0) return out + rest;
    const end = rest.indexOf('}}', start + 3);
    if (end < 0) throw new ExpressionError(`unterminated \${{ in: ${text}`);
    out += rest.slice(0, start) + asString(evaluate(rest.slice(start + 3, end), ctx));
    rest = rest.slice(end + 2);
  }
}
