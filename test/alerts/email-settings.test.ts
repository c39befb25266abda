/** `alerts.email` in absolve.config.json: parsed strictly, with one-line errors naming the key; never a password. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertTargetsOf, parseServiceSettings } from '../../src/core/service-settings.ts';

const base = { smtp: { host: 'smtp.contoso.example', port: 587, user: 'alerts' }, from: 'Absolve <absolve@contoso.example>', to: ['release@contoso.example'], events: ['new-detections'] };

describe('alerts.email settings', () => {
  it('parses the server, sender, recipients and kinds, with defaults', () => {
    const s = parseServiceSettings({ alerts: { email: base } }, 'absolve.config.json');
    assert.deepEqual(s.alerts?.email, { smtp: { host: 'smtp.contoso.example', port: 587, secure: false, user: 'alerts' }, from: 'Absolve <absolve@contoso.example>', to: ['release@contoso.example'], events: ['new-detections'] });
    assert.deepEqual(s.alerts?.webhooks, []);
    const secure = parseServiceSettings({ alerts: { email: { smtp: { host: 'h', secure: true }, from: 'a@b.c', to: ['x@y.z'] } } }, 'c.json').alerts?.email;
    assert.deepEqual([secure?.smtp.port, secure?.smtp.user, secure?.events], [465, null, []]);
    assert.equal(alertTargetsOf(parseServiceSettings({ alerts: { webhooks: [{ url: 'https://x.test/' }], email: base } }, 'c.json')).length, 2);
  });

  for (const [name, email, pattern] of [
    ['a password in the file', { ...base, smtp: { ...base.smtp, password: 'x' } }, /alerts\.email\.smtp must not hold a password: set the environment variable ABSOLVE_SMTP_PASSWORD/],
    ['an unknown key', { ...base, cc: ['a@b.c'] }, /alerts\.email has an unknown key 'cc'/],
    ['an unknown smtp key', { ...base, smtp: { ...base.smtp, tls: true } }, /alerts\.email\.smtp has an unknown key 'tls'/],
    ['no smtp', { from: base.from, to: base.to }, /alerts\.email\.smtp is missing/],
    ['no recipients', { ...base, to: [] }, /alerts\.email\.to must be a non-empty array/],
    ['a recipient that is not an address', { ...base, to: ['nobody'] }, /alerts\.email\.to\[0\] must be an email address/],
    ['a header injection in from', { ...base, from: 'a@b.c\r\nBcc: x@y.z' }, /alerts\.email\.from must be a non-empty one-line string/],
    ['a bad port', { ...base, smtp: { ...base.smtp, port: 70000 } }, /alerts\.email\.smtp\.port must be a port number/],
    ['an unknown event', { ...base, events: ['new'] }, /alerts\.email\.events names an unknown event 'new'/],
  ] as const) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parseServiceSettings({ alerts: { email } }, 'absolve.config.json'),
        (e: Error & { code?: string }) => e.code === 'CONFIG_INVALID' && pattern.test(e.message) && e.message.startsWith('absolve.config.json: ') && !e.message.includes('\n'),
      );
    });
  }
});
