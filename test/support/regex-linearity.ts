/**
 * A structural proof, instead of a stopwatch, that a regular expression cannot backtrack catastrophically in
 * V8's backtracking engine (Irregexp). The pattern source is parsed into a small syntax tree (the subset of
 * ECMAScript RegExp syntax our rule tables use: literals, escapes, classes, groups, look-arounds, alternation,
 * greedy/lazy quantifiers; ECMA-262 §22.2.1) and three rules are checked:
 *
 * 1. Star height 1: a quantifier that can repeat (max > 1) never contains an unbounded quantifier: `(a+)+`,
 *    `(?:\w*x){2,}`. Nested repetition is what makes the number of ways to split the input exponential.
 * 2. A repeated alternation has branches that start with disjoint characters: `(a|ab)+` has 2^n splits of `a…a`.
 * 3. An unbounded quantifier whose character set overlaps what can follow it (`\w+\w`, `[A-Z0-9-]*-gen`) is
 *    "ambiguous": it may have to give back each of its n characters. Then nothing unbounded may follow it, so each
 *    give-back is followed by a bounded match. An unambiguous quantifier (`[a-z]+\.`) gives back a character only
 *    to see the follower fail at once.
 *
 * Under these rules one attempt at one start position costs O(n·m) steps (n input, m pattern length), one exec at
 * most O(n²·m); with the input capped (MAX_DETECTION_NAME_CHARS) the work is bounded by a constant. The rules are
 * sufficient, not necessary: a pattern they reject may still be safe, and is then rewritten or given an explicit
 * exemption with its own argument. Look-arounds are checked as separate patterns that end where they close
 * (V8 runs them atomically: once they match, their inner choices are not revisited).
 */

/** A set over ASCII code units; `other` stands for every code unit ≥ 128. */
interface CharSet {
  ascii: Uint8Array;
  other: boolean;
}

type Node =
  | { kind: 'chars'; set: CharSet }
  | { kind: 'sequence'; items: Node[] }
  | { kind: 'alternation'; branches: Node[] }
  | { kind: 'repeat'; min: number; max: number; body: Node }
  | { kind: 'look'; body: Node }
  | { kind: 'assertion' };

const emptySet = (): CharSet => ({ ascii: new Uint8Array(128), other: false });
const fullSet = (): CharSet => ({ ascii: new Uint8Array(128).fill(1), other: true });

function union(a: CharSet, b: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < 128; i++) out.ascii[i] = (a.ascii[i] ?? 0) | (b.ascii[i] ?? 0);
  out.other = a.other || b.other;
  return out;
}

function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.other && b.other) return true;
  for (let i = 0; i < 128; i++) if (a.ascii[i] === 1 && b.ascii[i] === 1) return true;
  return false;
}

function setOf(codes: Iterable<number>, other = false): CharSet {
  const out = emptySet();
  for (const c of codes) if (c < 128) out.ascii[c] = 1;
  else out.other = true;
  out.other ||= other;
  return out;
}

function range(from: string, to: string): number[] {
  const out: number[] = [];
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out.push(c);
  return out;
}

const DIGITS = range('0', '9');
const WORD = [...DIGITS, ...range('A', 'Z'), ...range('a', 'z'), 0x5f];
const SPACE = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20];

function complement(set: CharSet): CharSet {
  const out = emptySet();
  for (let i = 0; i < 128; i++) out.ascii[i] = set.ascii[i] === 1 ? 0 : 1;
  out.other = true; // a negated ASCII class still matches every non-ASCII character
  return out;
}

function foldCase(set: CharSet): CharSet {
  const out = union(set, emptySet());
  for (let c = 0x41; c <= 0x5a; c++) {
    if (set.ascii[c] === 1 || set.ascii[c + 0x20] === 1) {
      out.ascii[c] = 1;
      out.ascii[c + 0x20] = 1;
    }
  }
  return out;
}

class PatternParser {
  private at = 0;

  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.alternation();
    if (this.at !== this.source.length) throw new Error(`unexpected "${this.source[this.at] ?? ''}" at ${this.at}`);
    return node;
  }

  private peek(): string | undefined {
    return this.source[this.at];
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? (branches[0] as Node) : { kind: 'alternation', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) items.push(this.quantified(this.atom()));
    return { kind: 'sequence', items };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.at++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else if (c === '{' && /^\{\d+(?:,\d*)?\}/.test(this.source.slice(this.at))) {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at)) as RegExpExecArray;
      this.at += match[0].length;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    } else {
      return atom;
    }
    if (this.peek() === '?') this.at++; // lazy: same set of paths, explored in another order
    if (atom.kind === 'assertion' || atom.kind === 'look') throw new Error('quantified assertion');
    return { kind: 'repeat', min, max, body: atom };
  }

  private chars(set: CharSet): Node {
    return { kind: 'chars', set: this.ignoreCase ? foldCase(set) : set };
  }

  private atom(): Node {
    const c = this.source[this.at++];
    switch (c) {
      case '^':
      case '$':
        return { kind: 'assertion' };
      case '.':
        return this.chars(fullSet());
      case '[':
        return this.chars(this.characterClass());
      case '(':
        return this.group();
      case '\\': {
        const escape = this.source[this.at];
        if (escape === 'b' || escape === 'B') {
          this.at++;
          return { kind: 'assertion' };
        }
        return this.chars(this.escape());
      }
      case undefined:
        throw new Error('unexpected end of pattern');
      default:
        if ('*+?{'.includes(c) && c !== '{') throw new Error(`nothing to repeat at ${this.at - 1}`);
        return this.chars(setOf([c.charCodeAt(0)]));
    }
  }

  private group(): Node {
    let look = false;
    if (this.source.startsWith('?:', this.at)) this.at += 2;
    else if (this.source.startsWith('?=', this.at) || this.source.startsWith('?!', this.at)) {
      this.at += 2;
      look = true;
    } else if (this.source.startsWith('?<=', this.at) || this.source.startsWith('?<!', this.at)) {
      this.at += 3;
      look = true;
    } else if (this.source.startsWith('?<', this.at)) {
      this.at = this.source.indexOf('>', this.at) + 1;
    } else if (this.peek() === '?') throw new Error(`unsupported group syntax at ${this.at}`);
    const body = this.alternation();
    if (this.source[this.at++] !== ')') throw new Error('unclosed group');
    return look ? { kind: 'look', body } : body;
  }

  /** After a backslash (outside or inside a class). */
  private escape(): CharSet {
    const c = this.source[this.at++];
    switch (c) {
      case 'd':
        return setOf(DIGITS);
      case 'D':
        return complement(setOf(DIGITS));
      case 'w':
        return setOf(WORD);
      case 'W':
        return complement(setOf(WORD));
      case 's':
        return setOf(SPACE, true); // \s includes Unicode spaces
      case 'S':
        return complement(setOf(SPACE));
      case 'n':
        return setOf([0x0a]);
      case 'r':
        return setOf([0x0d]);
      case 't':
        return setOf([0x09]);
      case '0':
        return setOf([0]);
      case 'x':
      case 'u': {
        const digits = c === 'x' ? 2 : 4;
        const code = Number.parseInt(this.source.slice(this.at, this.at + digits), 16);
        this.at += digits;
        return setOf([code]);
      }
      case undefined:
        throw new Error('trailing backslash');
      default:
        if (/[1-9k]/.test(c)) throw new Error('backreferences are not analysed');
        return setOf([c.charCodeAt(0)]);
    }
  }

  private characterClass(): CharSet {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.at++;
    }
    let set = emptySet();
    while (this.peek() !== ']') {
      if (this.peek() === undefined) throw new Error('unclosed class');
      const from = this.classAtom();
      if (this.peek() === '-' && this.source[this.at + 1] !== ']' && from.single !== undefined) {
        this.at++;
        const to = this.classAtom();
        if (to.single === undefined) throw new Error('class range to a class escape');
        set = union(set, setOf(range(String.fromCharCode(from.single), String.fromCharCode(to.single))));
      } else {
        set = union(set, from.set);
      }
    }
    this.at++;
    return negated ? complement(set) : set;
  }

  private classAtom(): { set: CharSet; single: number | undefined } {
    const c = this.source[this.at++] as string;
    if (c !== '\\') return { set: setOf([c.charCodeAt(0)]), single: c.charCodeAt(0) };
    const escape = this.peek() ?? '';
    const set = this.escape();
    const single = /[dDwWsS]/.test(escape) ? undefined : set.ascii.indexOf(1) >= 0 ? set.ascii.indexOf(1) : undefined;
    return { set, single };
  }
}

function nullable(node: Node): boolean {
  switch (node.kind) {
    case 'chars':
      return false;
    case 'sequence':
      return node.items.every(nullable);
    case 'alternation':
      return node.branches.some(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
    case 'look':
    case 'assertion':
      return true;
  }
}

/** Characters that can start a match of `node` (zero-width parts are transparent). */
function first(node: Node): CharSet {
  switch (node.kind) {
    case 'chars':
      return node.set;
    case 'sequence':
      return firstOf(node.items);
    case 'alternation':
      return node.branches.map(first).reduce(union, emptySet());
    case 'repeat':
      return first(node.body);
    case 'look':
    case 'assertion':
      return emptySet();
  }
}

/** Characters that can start a match of the concatenation `nodes`. */
function firstOf(nodes: readonly Node[]): CharSet {
  let set = emptySet();
  for (const node of nodes) {
    set = union(set, first(node));
    if (!nullable(node)) break;
  }
  return set;
}

/** Every character `node` can consume anywhere. */
function consumed(node: Node): CharSet {
  switch (node.kind) {
    case 'chars':
      return node.set;
    case 'sequence':
      return node.items.map(consumed).reduce(union, emptySet());
    case 'alternation':
      return node.branches.map(consumed).reduce(union, emptySet());
    case 'repeat':
      return consumed(node.body);
    case 'look':
    case 'assertion':
      return emptySet();
  }
}

function containsUnbounded(nodes: readonly Node[]): boolean {
  return nodes.some((node) => {
    switch (node.kind) {
      case 'sequence':
        return containsUnbounded(node.items);
      case 'alternation':
        return containsUnbounded(node.branches);
      case 'repeat':
        return node.max === Infinity || containsUnbounded([node.body]);
      case 'chars':
      case 'assertion':
      case 'look': // look-arounds run atomically and are checked on their own
        return false;
    }
  });
}

function alternationsIn(node: Node): Node[] {
  if (node.kind === 'alternation') return [node];
  if (node.kind === 'sequence') return node.items.flatMap(alternationsIn);
  return [];
}

/** Walks `node` followed by `rest` and returns a description of every rule broken. */
function check(node: Node, rest: readonly Node[], problems: string[]): void {
  switch (node.kind) {
    case 'sequence':
      node.items.forEach((item, i) => check(item, [...node.items.slice(i + 1), ...rest], problems));
      return;
    case 'alternation':
      for (const branch of node.branches) check(branch, rest, problems);
      return;
    case 'look':
      check(node.body, [], problems);
      return;
    case 'repeat': {
      if (node.max > 1) {
        if (containsUnbounded([node.body])) problems.push('a repeated group contains an unbounded quantifier (star height > 1)');
        for (const alternation of alternationsIn(node.body)) {
          if (alternation.kind !== 'alternation') continue;
          const starts = alternation.branches.map(first);
          if (alternation.branches.some(nullable) || starts.some((a, i) => starts.some((b, j) => j > i && overlaps(a, b)))) {
            problems.push('a repeated alternation has branches that can start with the same character');
          }
        }
      }
      if (node.max === Infinity && overlaps(consumed(node.body), firstOf(rest)) && containsUnbounded(rest)) {
        problems.push('an unbounded quantifier overlapping its follower is followed by another unbounded quantifier');
      }
      check(node.body, node.max > 1 ? [node.body, ...rest] : rest, problems);
      return;
    }
    case 'chars':
    case 'assertion':
      return;
  }
}

/** The rules above that `pattern` breaks (empty: its backtracking is polynomial, O(n²·m) per exec). */
export function backtrackingProblems(pattern: RegExp): string[] {
  const tree = new PatternParser(pattern.source, pattern.ignoreCase).parse();
  const problems: string[] = [];
  check(tree, [], problems);
  return [...new Set(problems)];
}
