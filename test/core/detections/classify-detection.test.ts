import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classify,
  classifyDetection,
  DETECTION_RULES,
  extractFamilyToken,
  matchingRuleId,
  MAX_DETECTION_NAME_CHARS,
} from '../../../src/core/detections/index.ts';
import { DETECTION_EXAMPLES, FAMILY_EXAMPLES } from './detection-examples.ts';

describe('classifyDetection: acceptance checks', () => {
  it('Microsoft Trojan:Win32/Wacatac.B!ml is a generic ML verdict', () => {
    const c = classify('Microsoft', 'Trojan:Win32/Wacatac.B!ml');
    assert.equal(c.engine, 'Microsoft');
    assert.equal(c.generic, true);
    assert.equal(c.kind, 'ml');
    assert.equal(c.family, undefined);
    assert.ok(c.source !== null && c.source.includes('community'));
  });

  it('ESET-NOD32 Win32/Emotet.A is the specific family Emotet', () => {
    const c = classify('ESET-NOD32', 'Win32/Emotet.A');
    assert.deepEqual(
      { engine: c.engine, generic: c.generic, kind: c.kind, family: c.family },
      { engine: 'ESET-NOD32', generic: false, kind: 'family', family: 'Emotet' },
    );
  });
});

describe('classifyDetection: one example per pattern', () => {
  for (const example of DETECTION_EXAMPLES) {
    it(`${example.engine}: ${example.name} → ${example.rule} (${example.kind}, generic=${String(example.generic)})`, () => {
      const c = classifyDetection(example.engine, example.name);
      assert.equal(matchingRuleId(example.engine, example.name), example.rule);
      assert.equal(c.kind, example.kind);
      assert.equal(c.generic, example.generic);
      assert.equal(c.family, example.family);
      assert.equal(c.confidence, example.confidence);
      const rule = DETECTION_RULES.find((r) => r.id === example.rule);
      assert.ok(rule !== undefined);
      assert.equal(c.explanation, rule.explanation);
      assert.equal(c.source, rule.source);
    });
  }

  it('every rule is exercised by at least one example', () => {
    const covered = new Set(DETECTION_EXAMPLES.map((e) => e.rule));
    const missing = DETECTION_RULES.map((r) => r.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, []);
  });
});

describe('classifyDetection: specific families stay family / generic=false', () => {
  it('has at least 15 family examples', () => {
    assert.ok(FAMILY_EXAMPLES.length >= 15);
  });
  for (const { engine, name, family } of FAMILY_EXAMPLES) {
    it(`${engine}: ${name} → family ${family}`, () => {
      const c = classifyDetection(engine, name);
      assert.equal(c.kind, 'family', `rule ${String(matchingRuleId(engine, name))}`);
      assert.equal(c.generic, false);
      assert.equal(c.family, family);
    });
  }

  it('catch-all and generic names are never reported as families', () => {
    for (const [engine, name] of [
      ['Microsoft', 'Trojan:Win32/Wacatac.A!MTB'],
      ['Kaspersky', 'Backdoor.Win32.Agent.xyz'],
      ['Lionic', 'Trojan.Win32.Razy.4!c'],
      ['Gridinsoft', 'Trojan.Win32.Sabsik.sa'],
      ['Microsoft', 'Trojan:Win32/Tiggre!rfn'],
      ['Microsoft', 'Trojan:Win32/Occamy.C'],
      ['Fortinet', 'MSIL/GenKryptik.FZYV!tr'],
    ]) {
      const c = classifyDetection(engine ?? '', name ?? '');
      assert.equal(c.generic, true, `${String(name)} (${String(matchingRuleId(engine ?? '', name ?? ''))})`);
      assert.equal(c.family, undefined);
      assert.notEqual(c.kind, 'family');
    }
  });
});

describe('classifyDetection: engines', () => {
  it('maps aliases to one canonical engine, case- and whitespace-insensitively', () => {
    const cases: Array<[string, string]> = [
      ['ESET-NOD32', 'ESET-NOD32'],
      ['eset', 'ESET-NOD32'],
      ['  NOD32 ', 'ESET-NOD32'],
      ['ESET NOD32', 'ESET-NOD32'],
      ['Windows Defender', 'Microsoft'],
      ['defender', 'Microsoft'],
      ['Norton', 'Symantec'],
      ['BROADCOM', 'Symantec'],
      ['McAfee-GW-Edition', 'McAfee'],
      ['Trellix', 'McAfee'],
      ['McAfeeD', 'McAfee'],
      ['ZoneAlarm', 'Kaspersky'],
      ['BitDefenderTheta', 'BitDefender'],
      ['AVG', 'Avast'],
      ['Paloalto', 'Palo Alto Networks'],
      ['Palo  Alto   Networks', 'Palo Alto Networks'],
      ['CrowdStrike', 'CrowdStrike Falcon'],
      ['SentinelOne (Static ML)', 'SentinelOne'],
      ['Arctic Wolf', 'Cylance'],
      ['MicroWorld-eScan', 'eScan'],
      ['CAT-QuickHeal', 'QuickHeal'],
      ['K7GW', 'K7AntiVirus'],
      ['TrendMicro-HouseCall', 'TrendMicro'],
      ['Dr.Web', 'DrWeb'],
      ['F-Secure', 'WithSecure'],
    ];
    for (const [input, canonical] of cases) assert.equal(classifyDetection(input, 'Trojan.Win32.Generic').engine, canonical, input);
  });

  it('keeps an unknown engine as given (trimmed) and still applies engine-independent rules', () => {
    const cases: Array<[string, string]> = [
      ['Trojan:Win32/Wacatac.B!ml', 'ml'],
      ['Gen:Variant.Zusy.471234', 'generic-signature'],
      ['Trojan.Generic.123', 'generic-signature'],
      ['Heur.Trojan.Win32', 'heuristic'],
      ['ML.Detected', 'ml'],
      ['AI.Malware', 'ml'],
      ['Reputation.Low', 'reputation'],
      ['Trojan.Malware.300983.susgen', 'heuristic'],
      ['PUA.Win32.Bundler', 'pup'],
    ];
    for (const [name, kind] of cases) {
      const c = classifyDetection('  Some New Engine  ', name);
      assert.equal(c.engine, 'Some New Engine');
      assert.equal(c.kind, kind, name);
      assert.equal(c.generic, kind !== 'pup', name);
    }
  });

  it('applies engine-specific rules only to their engines', () => {
    assert.equal(classifyDetection('Cylance', 'Unsafe').kind, 'ml');
    assert.equal(classifyDetection('Google', 'Detected').kind, 'unknown');
    assert.equal(matchingRuleId('Google', 'Detected'), 'google-detected');
    assert.equal(matchingRuleId('SomeEngine', 'Detected'), 'bare-verdict');
    assert.equal(classifyDetection('Acronis', 'suspicious').kind, 'ml');
    assert.equal(classifyDetection('SomeEngine', 'suspicious').kind, 'heuristic');
    assert.equal(matchingRuleId('Webroot', 'W32.Malware.Gen'), 'generic-marker');
    assert.equal(matchingRuleId('Bkav', 'W32.Malware.Gen'), 'bkav-w32');
  });
});

describe('classifyDetection: input handling', () => {
  it('trims the name, and reports an empty name as unknown', () => {
    assert.equal(classifyDetection('Microsoft', '  Trojan:Win32/Wacatac.B!ml \n').kind, 'ml');
    const empty = classifyDetection('Microsoft', '   ');
    assert.equal(empty.kind, 'unknown');
    assert.equal(empty.generic, false);
  });

  it('returns unknown with a hint for names no rule knows', () => {
    const c = classifyDetection('SomeEngine', 'Emotet');
    assert.equal(c.kind, 'unknown');
    assert.equal(c.generic, false);
    assert.equal(c.source, null);
    assert.match(c.explanation, /false positive/);
  });

  it(`classifies only the first ${MAX_DETECTION_NAME_CHARS} characters`, () => {
    const head = 'Trojan:Win32/Wacatac.';
    const tail = '!ml';
    const long = `${head}${'1'.repeat(MAX_DETECTION_NAME_CHARS)}${tail}`;
    assert.equal(matchingRuleId('Microsoft', long), 'catchall-name'); // the !ml lies past the cap
    const justFits = `${head}${'1'.repeat(MAX_DETECTION_NAME_CHARS - head.length - tail.length)}${tail}`;
    assert.equal(justFits.length, MAX_DETECTION_NAME_CHARS);
    assert.equal(classifyDetection('Microsoft', justFits).kind, 'ml');
  });

  it('only reports confidence values from 0 to 100', () => {
    assert.equal(classifyDetection('CrowdStrike', 'win/malicious_confidence_100% (W)').confidence, 100);
    assert.equal(classifyDetection('CrowdStrike', 'win/malicious_confidence_0% (W)').confidence, 0);
    assert.equal(classifyDetection('CrowdStrike', 'win/malicious_confidence_999% (W)').confidence, undefined);
    assert.equal(classifyDetection('CrowdStrike', 'win/malicious_confidence_999% (W)').kind, 'ml');
  });
});

describe('extractFamilyToken', () => {
  it('skips types, platforms, generic words, variant codes and ids', () => {
    assert.equal(extractFamilyToken('Trojan:Win32/Emotet.RPX!MTB'), 'Emotet');
    assert.equal(extractFamilyToken('a variant of Win32/Filecoder.WannaCryptor.D trojan'), 'WannaCryptor');
    assert.equal(extractFamilyToken('Trojan.Razy.D1E240'), undefined);
    assert.equal(extractFamilyToken('Trojan.Win32.Generic.4!c'), undefined);
    assert.equal(extractFamilyToken('Trojan ( 0058e3a11 )'), undefined);
    assert.equal(extractFamilyToken('TR/AD.Emotet.abc'), 'Emotet');
  });
});
