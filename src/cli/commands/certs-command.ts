/**
 * `absolve certs [product]`: every certificate that signed a recorded file (primary or nested
 * signature, top-level file or container member): its first and last release, how many files it
 * signed, and when it expires.
 */
import { terminalWidth } from '../terminal.ts';
import type { Command } from 'commander';
import { summarizeCertificates } from '../../core/releases/certificates.ts';
import { ReleaseError } from '../../core/releases/errors.ts';
import { commonName, dbOption, formatOption, renderColumns, withStore, writeJSON, type OutputFormat, type ReleaseCommandDeps } from './release-command.ts';

export const CERTIFICATES_SCHEMA = 'absolve.certificates/v1';

export type CertsCommandDeps = Pick<ReleaseCommandDeps, 'openStore' | 'now' | 'stdout'>;

function expiry(daysToExpiry: number, expired: boolean): string {
  if (expired) return `expired ${-daysToExpiry} day(s) ago`;
  return daysToExpiry < 90 ? `in ${daysToExpiry} day(s)!` : `in ${daysToExpiry} days`;
}

export function registerCertsCommand(program: Command, deps: CertsCommandDeps): Command {
  return program
    .command('certs')
    .description('Every signing certificate seen in recorded releases: first and last release, files signed, expiry.')
    .argument('[product]', 'only releases of this product')
    .addOption(dbOption())
    .addOption(formatOption())
    .action(async (product: string | undefined, flags: { db?: string; format: OutputFormat }) => {
      await withStore(deps, flags.db, false, async (opened) => {
        if (product !== undefined && !(await opened.store.hasProduct(product))) throw new ReleaseError('PRODUCT_NOT_FOUND', `no product '${product}' in ${opened.location}`);
        const now = deps.now();
        const certificates = summarizeCertificates(await opened.store.certificateUsage(product), now);
        if (flags.format === 'json') {
          writeJSON(deps, { schema: CERTIFICATES_SCHEMA, product: product ?? null, asOf: now.toISOString(), certificates });
          return;
        }
        if (certificates.length === 0) {
          deps.stdout.write(`No signed files recorded${product === undefined ? '' : ` for ${product}`} in ${opened.location}.\n`);
          return;
        }
        const release = (r: { product: string; version: string }): string => (product === undefined ? `${r.product} ${r.version}` : r.version);
        deps.stdout.write(
          renderColumns(
            ['SIGNER', 'ISSUER', 'SHA-256 THUMBPRINT', 'EXPIRES', 'FIRST', 'LAST', 'RELEASES', 'FILES'],
            certificates.map((c) => [
              commonName(c.subject),
              commonName(c.issuer),
              c.thumbprintSha256,
              `${c.notAfter.slice(0, 10)} (${expiry(c.daysToExpiry, c.expired)})`,
              release(c.firstRelease),
              release(c.lastRelease),
              String(c.releases),
              String(c.files),
            ]),
            terminalWidth(deps.stdout),
          ),
        );
      });
    });
}
