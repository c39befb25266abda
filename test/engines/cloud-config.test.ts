import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbsolveError } from '../../src/core/errors.ts';
import { metaDefenderOptionsFromEnv, virusTotalMonitorOptionsFromEnv, virusTotalOptionsFromEnv } from '../../src/engines/cloud/cloud-config.ts';

test('cloud engine settings from the environment: no key, no engine; defaults left to the factories', () => {
  assert.equal(virusTotalOptionsFromEnv({}, 'never'), undefined);
  assert.equal(metaDefenderOptionsFromEnv({ MD_API_KEY: '  ' }, 'never'), undefined);
  assert.deepEqual(virusTotalOptionsFromEnv({ VT_API_KEY: 'k' }, 'unknown'), { apiKey: 'k', upload: 'unknown', quota: { windowMs: 60_000 } });
  assert.deepEqual(virusTotalOptionsFromEnv({ VT_API_KEY: 'k', VT_API_URL: 'http://127.0.0.1:1/api/v3', VT_QUOTA_PER_MINUTE: '1000', VT_QUOTA_PER_DAY: '300000' }, 'never'), {
    apiKey: 'k',
    upload: 'never',
    baseUrl: 'http://127.0.0.1:1/api/v3',
    quota: { perWindow: 1000, perDay: 300000, windowMs: 60_000 },
  });
  assert.equal(virusTotalMonitorOptionsFromEnv({ VT_API_KEY: 'k', VT_MONITOR_FOLDER: '/builds' }, 'never')?.folder, '/builds');
  assert.deepEqual(metaDefenderOptionsFromEnv({ MD_API_KEY: 'm', MD_UPLOADS_PER_DAY: '100' }, 'always'), { apiKey: 'm', upload: 'always', quota: { windowMs: 60_000 }, uploadsPerDay: 100 });
});

test('a malformed quota is a configuration error naming the variable', () => {
  for (const value of ['0', '-4', '4.5', 'four']) {
    assert.throws(
      () => virusTotalOptionsFromEnv({ VT_API_KEY: 'k', VT_QUOTA_PER_MINUTE: value }, 'never'),
      (e: unknown) => e instanceof AbsolveError && e.code === 'ENGINE_CONFIG_INVALID' && e.message.startsWith('VT_QUOTA_PER_MINUTE must be'),
    );
  }
});
