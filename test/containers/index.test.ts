import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as containers from '../../src/containers/index.ts';

it('src/containers exports exactly the documented surface', () => {
  assert.deepEqual(Object.keys(containers).sort(), [
    'COMPRESSION_RATIO_MIN_BYTES',
    'DEFAULT_CONTAINER_LIMITS',
    'ExtractionBudget',
    'detectContainer',
    'inspectContainerSignature',
    'openContainer',
  ]);
  assert.deepEqual({ ...containers.DEFAULT_CONTAINER_LIMITS }, {
    maxMembers: 10_000,
    maxMemberBytes: 1024 ** 3,
    maxTotalExtractedBytes: 4 * 1024 ** 3,
    maxCompressionRatio: 200,
    maxDepth: 8,
    maxTotalMembers: 10_000,
    maxContainerBytes: 4 * 1024 ** 3,
  });
  assert.ok(Object.isFrozen(containers.DEFAULT_CONTAINER_LIMITS));
});
