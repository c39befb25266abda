/**
 * Child process of store-crash.test.ts: records one big synthetic release and says when it is
 * inside the transaction, so the parent can SIGKILL it there.
 *
 *   node --import tsx test/store/crash-child.ts <store-url> <files> <version>
 *
 * stdout: `in-transaction` (from deriveFindings, after the release row is written and before its
 * files are), then `committed <outcome>`.
 */
import { createStoreOpener } from '../../src/store/open-store.ts';
import { certA, certB, certNested, draft, type FileSpec } from './sample-data.ts';

const [url = '', countText = '1000', version = '1.0'] = process.argv.slice(2);
const count = Number(countText);
const files: FileSpec[] = Array.from({ length: count }, (_, i) => ({
  path: `bin/${String(i).padStart(6, '0')}.dll`,
  content: `file ${i} of ${version}`,
  signer: i % 3 === 0 ? null : i % 3 === 1 ? certA : certB,
  nested: i % 7 === 0 ? [certNested] : [],
  findings: i % 5 === 0 ? [{ id: 'PE_CHECKSUM_MISMATCH', severity: 'note', message: 'checksum' }] : [],
}));
const opened = await createStoreOpener({ env: {}, cwd: process.cwd() })(url, { create: true });
const result = await opened.store.saveRelease(draft('Crash', version, files, { createdAt: new Date().toISOString() }), {
  replace: false,
  deriveFindings: () => {
    process.stdout.write('in-transaction\n');
    return [];
  },
});
process.stdout.write(`committed ${result.outcome}\n`);
await opened.store.close();
