import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatePolicyFrom, parseServiceSettings } from '../../src/core/service-settings.ts';

describe('service settings (absolve.config.json: engines, virustotal, clamav, yara, alerts, gate)', () => {
  it('reads every section', () => {
    const s = parseServiceSettings(
      {
        rules: { 'ABS-FP-012': 'off' },
        engines: ['virustotal', 'clamav'],
        virustotal: { upload: 'unknown', maxAgeHours: 6, quota: { perMinute: 500, perDay: 100000 } },
        clamav: { clamd: '/run/clamav/clamd.ctl' },
        yara: { rules: ['r.yar'] },
        alerts: { webhooks: [{ url: 'https://hooks.slack.com/services/T/B/x', format: 'slack', events: ['new-detections'] }, { url: 'http://127.0.0.1:9/x' }] },
        gate: { maxEngines: 2, mustBeClean: [], requireScan: false },
      },
      'absolve.config.json',
    );
    assert.deepEqual(s.engines, ['virustotal', 'clamav']);
    assert.deepEqual(s.virustotal, { upload: 'unknown', maxAgeHours: 6, quota: { perMinute: 500, perDay: 100000 } });
    assert.deepEqual(s.alerts?.webhooks.map((w) => [w.format, w.events]), [['slack', ['new-detections']], ['json', []]]);
    assert.deepEqual(gatePolicyFrom(s, { pinnedSigners: ['AB'] }), { maxFlaggingEngines: 2, mustBeClean: [], requireValidSignatures: true, pinnedSigners: ['AB'], requireScan: false, openCasesBlock: false });
  });

  const bad: Array<[string, unknown, RegExp]> = [
    ['an unknown key', { virustotal: { uplaod: 'never' } }, /virustotal has an unknown key 'uplaod'/],
    ['a bad upload policy', { metadefender: { upload: 'sometimes' } }, /metadefender\.upload must be never, unknown or always/],
    ['an API key in the file', { virustotal: { apiKey: 'x' } }, /unknown key 'apiKey'/],
    ['a webhook that is not a URL', { alerts: { webhooks: [{ url: 'file:///etc/passwd' }] } }, /alerts\.webhooks\[0\]\.url must be an http\(s\) URL/],
    ['an unknown event kind', { alerts: { webhooks: [{ url: 'https://x.test/', events: ['new'] }] } }, /unknown event 'new'/],
    ['a negative engine count', { gate: { maxEngines: -1 } }, /gate\.maxEngines must be a whole number/],
  ];
  for (const [name, doc, message] of bad) {
    it(`refuses ${name} with CONFIG_INVALID naming the file and key`, () => {
      assert.throws(() => parseServiceSettings(doc, 'absolve.config.json'), (e: Error & { code?: string }) => e.code === 'CONFIG_INVALID' && message.test(e.message) && e.message.startsWith('absolve.config.json: '));
    });
  }
});
