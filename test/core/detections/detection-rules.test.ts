import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyDetection, DETECTION_RULES, ENGINE_ALIAS_GROUPS, MAX_DETECTION_NAME_CHARS } from '../../../src/core/detections/index.ts';
import { backtrackingProblems } from '../../support/regex-linearity.ts';

const ADVERSARIAL_LENGTH = 10_000;

/** Strings shaped to make a backtracking regex engine work hard on every rule. */
function adversarialInputs(): Array<[string, string]> {
  const fill = (unit: string, end = '', start = ''): string =>
    start + unit.repeat(Math.ceil(ADVERSARIAL_LENGTH / unit.length)).slice(0, ADVERSARIAL_LENGTH - end.length - start.length) + end;
  return [
    ['letters', fill('a')],
    ['letters then bang', fill('A', '!')],
    ['hex run', fill('0123456789ABCDEF', 'x')],
    ['digits then %', fill('9', '%x')],
    ['dotted words', fill('Trojan.Win32.')],
    ['colon slash', fill('Trojan:Win32/')],
    ['repeated !ml', fill('!m')],
    ['repeated Gen:', fill('Gen:')],
    ['dash gen', fill('Malware-ge')],
    ['K7 style', fill('Trojan ( ', '0')],
    ['spaces', fill(' ', 'x')],
    ['almost Artemis', fill('A', '', 'Artemis!')],
    ['almost arcabit', fill('.D0')],
    ['almost XXPE', fill('.XXPE0', '.')],
    ['almost crowdstrike', fill('9', '', 'win/malicious_confidence_')],
    ['almost avast', fill('a-', '', 'Win32:')],
    ['almost generic rx', fill('A-', '', 'GenericR')],
    ['unicode', fill('é∂\u0000')],
    ['word boundaries', fill('a_b-c.d/e:f!g@h ')],
  ];
}

describe('detection rules: table shape', () => {
  it('has unique ids, a kind, an explanation and a source-or-null on every rule', () => {
    const ids = new Set<string>();
    for (const rule of DETECTION_RULES) {
      assert.ok(!ids.has(rule.id), `duplicate id ${rule.id}`);
      ids.add(rule.id);
      assert.ok(rule.explanation.length > 40, rule.id);
      assert.ok(rule.explanation.length < 500, `${rule.id}: explanation too long`);
      assert.ok(rule.source === null || rule.source.length > 0, rule.id);
      assert.ok(!rule.pattern.global && !rule.pattern.sticky, `${rule.id}: stateful flags break exec()`);
      const sentences = rule.explanation.replace(/e\.g\./g, 'eg').split(/[.!?](?:\s+|$)(?=[A-Z]|$)/).filter((x) => x.trim() !== '');
      assert.ok(sentences.length <= 2, `${rule.id}: explanation has ${sentences.length} sentences`);
    }
  });

  it('names only canonical engines in engine-specific rules', () => {
    const canonical = new Set(ENGINE_ALIAS_GROUPS.map((g) => g.canonical));
    for (const rule of DETECTION_RULES) {
      if (rule.engines === '*') continue;
      for (const engine of rule.engines) assert.ok(canonical.has(engine), `${rule.id}: ${engine} is not a canonical engine name`);
    }
  });

  it('lists engine-specific rules before the engine-independent markers and family fallbacks', () => {
    const firstMarker = DETECTION_RULES.findIndex((r) => r.id === 'ml-marker');
    const lastEngineSpecific = DETECTION_RULES.reduce((last, r, i) => (r.engines !== '*' && r.kind !== 'family' ? i : last), -1);
    assert.ok(firstMarker > 0 && lastEngineSpecific < firstMarker);
    assert.equal(DETECTION_RULES.at(-1)?.id, 'category-only');
  });
});

describe('detection rules: no catastrophic backtracking', () => {
  it('has no nested quantifiers in any pattern source', () => {
    // A group that contains a quantifier and is itself quantified: (a+)+, (?:\w*x)*, (a|b+){2,}.
    const nested = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;
    for (const bad of [String.raw`^(a+)+$`, String.raw`(?:\w*x)*`, String.raw`(a|b+){2,}`]) assert.match(bad, nested, bad);
    for (const fine of [String.raw`^(?:ab)+$`, String.raw`(?:\.[0-9])?`, String.raw`[a-z]+`]) assert.doesNotMatch(fine, nested, fine);
    for (const rule of DETECTION_RULES) assert.doesNotMatch(rule.pattern.source, nested, rule.id);
  });

  // Bounded time without a clock: every pattern has polynomial backtracking (the structural rules in
  // test/support/regex-linearity.ts: O(n²·m) steps per exec) and the public function caps n.
  it('the analyser tells exponential and ambiguous patterns from safe ones', () => {
    for (const bad of [/^(a+)+$/, /(?:\w*x)*/, /(a|b+){2,}/, /(?:a|ab)+c/, /\w+\w*x/, /^[a-z]*[a-z0-9]+!/i]) assert.notDeepEqual(backtrackingProblems(bad), [], bad.source);
    for (const fine of [/^(?:ab)+$/, /(?:\.[0-9])?/, /[a-z]+/, /^[A-Za-z0-9]+\.[A-Za-z]+\.Agent-/, /\.D(?=[0-9A-F]*[0-9])[0-9A-F]{3,}$/i, /^[a-z]+-gen\b/]) {
      assert.deepEqual(backtrackingProblems(fine), [], fine.source);
    }
  });

  it('every rule pattern has polynomial backtracking (star height 1, unambiguous repetition)', () => {
    for (const rule of DETECTION_RULES) assert.deepEqual(backtrackingProblems(rule.pattern), [], `${rule.id}: /${rule.pattern.source}/`);
  });

  it(`classifies ${ADVERSARIAL_LENGTH.toLocaleString('en')}-character adversarial names by their first ${MAX_DETECTION_NAME_CHARS} characters only`, () => {
    assert.ok(MAX_DETECTION_NAME_CHARS <= 1024);
    for (const [label, input] of adversarialInputs()) {
      assert.equal(input.length, ADVERSARIAL_LENGTH, label);
      for (const engine of ['Microsoft', 'Arcabit', 'DrWeb', 'SomeEngine']) {
        assert.deepEqual(classifyDetection(engine, input.repeat(10)), classifyDetection(engine, input.slice(0, MAX_DETECTION_NAME_CHARS)), `${engine}: ${label}`);
      }
    }
  });
});
