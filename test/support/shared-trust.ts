/**
 * Microsoft's authroot.stl and its root certificates live outside the repository, in ../shared/research/trust
 * (their licence does not let us ship them; see that folder's README). CI has shared/ beside the clone; a
 * developer without it gets the tests skipped with this message (set ABSOLVE_SHARED_DIR to point elsewhere).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './fixtures.ts';

const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export const sharedTrustDir = join(process.env.ABSOLVE_SHARED_DIR ?? join(repoRoot, '..', 'shared'), 'research', 'trust');
export const haveSharedTrust = existsSync(join(sharedTrustDir, 'authroot.stl'));

/** `skip` option for node:test: a message when the data is absent outside CI, false otherwise (absent in CI fails). */
export const skipWithoutSharedTrust: string | false =
  !haveSharedTrust && !inCI ? `Microsoft's trust list is not at ${sharedTrustDir} (../shared/research/trust beside the repository; ABSOLVE_SHARED_DIR overrides); this test fails in CI when it is missing` : false;
