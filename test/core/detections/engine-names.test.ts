import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalEngineName, ENGINE_ALIAS_GROUPS, isKnownEngine, MAX_ENGINE_NAME_CHARS } from '../../../src/core/detections/index.ts';
import { engineLookupKey } from '../../../src/core/detections/engine-names.ts';

describe('engine names', () => {
  it('has no lookup key that two groups claim', () => {
    const owner = new Map<string, string>();
    for (const group of ENGINE_ALIAS_GROUPS) {
      for (const name of [group.canonical, ...group.aliases]) {
        const key = engineLookupKey(name);
        const previous = owner.get(key);
        assert.ok(previous === undefined || previous === group.canonical, `${name} claimed by ${String(previous)} and ${group.canonical}`);
        owner.set(key, group.canonical);
      }
    }
  });

  it('maps every canonical name and alias to its canonical name', () => {
    for (const group of ENGINE_ALIAS_GROUPS) {
      for (const name of [group.canonical, ...group.aliases]) {
        assert.equal(canonicalEngineName(name), group.canonical, name);
        assert.equal(canonicalEngineName(` ${name.toUpperCase()} `), group.canonical, name);
      }
    }
  });

  it('covers the brief’s alias groups', () => {
    const groups: Record<string, string[]> = {
      'ESET-NOD32': ['ESET-NOD32', 'ESET', 'NOD32'],
      Microsoft: ['Microsoft', 'Windows Defender', 'Defender'],
      Symantec: ['Symantec', 'Norton', 'Broadcom'],
      McAfee: ['McAfee', 'McAfee-GW-Edition', 'Trellix', 'McAfeeD'],
      Kaspersky: ['Kaspersky', 'ZoneAlarm'],
      BitDefender: ['BitDefender', 'BitDefenderTheta'],
      Avast: ['Avast', 'AVG'],
      'Palo Alto Networks': ['Paloalto', 'Palo Alto Networks'],
      'CrowdStrike Falcon': ['CrowdStrike', 'CrowdStrike Falcon'],
      SentinelOne: ['SentinelOne', 'SentinelOne (Static ML)'],
    };
    for (const [canonical, names] of Object.entries(groups)) {
      for (const name of names) assert.equal(canonicalEngineName(name), canonical, name);
    }
  });

  it('returns unknown engines trimmed and cut, and knows which are known', () => {
    assert.equal(canonicalEngineName('  Brand New AV  '), 'Brand New AV');
    assert.equal(isKnownEngine('brand new av'), false);
    assert.equal(isKnownEngine(' eset '), true);
    assert.equal(canonicalEngineName('x'.repeat(1000)).length, MAX_ENGINE_NAME_CHARS);
  });
});
