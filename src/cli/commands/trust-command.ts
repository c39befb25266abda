/**
 * `absolve trust update [--from DIR] [--base-url URL]` and `absolve trust status`: the Microsoft Trusted Root
 * Program store (authroot.stl and its roots) that `audit` and `release add` use once it is imported.
 * Options shared by `audit` and `release add`: `--trust-store microsoft|node|none`, `--cert-padding-check`.
 */
import type { TrustStoreStatus } from '../../core/trust-status.ts';
import { Option, type Command } from 'commander';
import type { VerificationPolicy } from '../../authenticode/index.ts';
import { AbsolveError } from '../../core/errors.ts';
import { createProgress } from '../progress.ts';

export const TRUST_STATUS_SCHEMA = 'absolve.trust-status/v1';
export const TRUST_UPDATE_SCHEMA = 'absolve.trust-update/v1';

export type TrustStoreChoice = 'microsoft' | 'node' | 'none';

export interface TrustLoadOptions {
  trustPaths: readonly string[];
  /** false = `--no-default-trust` (store `none`). */
  includeDefaultRoots: boolean;
  /** `--trust-store`; undefined = Microsoft's when imported, else Node's. */
  store?: TrustStoreChoice | undefined;
  certPaddingCheck?: boolean;
}

export interface LoadedTrustAnchors {
  anchors: Uint8Array[];
  policy: VerificationPolicy;
  store: TrustStoreChoice;
}

export interface TrustUpdateSummary {
  dir: string;
  thisUpdate: Date;
  sequenceNumber: string;
  entries: number;
  certificates: number;
  missing: number;
}


/** What the trust commands need from the outside (src/app supplies src/files' Microsoft store). */
export interface TrustCommandDeps {
  trustStore: {
    update(options: { baseUrl: string; onProgress?: (done: number, total: number) => void }): Promise<TrustUpdateSummary>;
    importFrom(options: { from: string; onProgress?: (done: number, total: number) => void }): Promise<TrustUpdateSummary>;
    status(): Promise<TrustStoreStatus>;
    defaultBaseUrl: string;
  };
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export function trustStoreOption(): Option {
  return new Option('--trust-store <store>', "root store: 'microsoft' (Microsoft's root program, after 'absolve trust update'), 'node' (Node's bundled Mozilla roots) or 'none' (only --trust)").choices([
    'microsoft',
    'node',
    'none',
  ]);
}

export function certPaddingCheckOption(): Option {
  return new Option('--cert-padding-check', "Windows' EnableCertPaddingCheck: bytes after the signature inside the WIN_CERTIFICATE beyond its 8-byte alignment make it invalid (CVE-2013-3900)").default(false);
}

function isoDate(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function writeJSON(deps: TrustCommandDeps, value: unknown): void {
  deps.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function summaryJSON(s: TrustUpdateSummary): Record<string, unknown> {
  return { schema: TRUST_UPDATE_SCHEMA, dir: s.dir, thisUpdate: isoDate(s.thisUpdate), sequenceNumber: s.sequenceNumber, entries: s.entries, certificates: s.certificates, missing: s.missing };
}

export function registerTrustCommand(program: Command, deps: TrustCommandDeps): Command {
  const trust = program.command('trust').description("Microsoft's Trusted Root Program store used to judge Authenticode chains.");

  trust
    .command('update')
    .description(`Download Microsoft's certificate trust list (authroot.stl) and the code-signing and time-stamping roots it names into the user's cache; verified against pinned Microsoft roots.`)
    .option('--from <dir>', 'import from a folder of the same layout (authroot.stl, certs/<SHA-1>.crt) instead of downloading (air-gapped machines)')
    .option('--base-url <url>', "where authroot.stl and <SHA-1>.crt are served", deps.trustStore.defaultBaseUrl)
    .option('--no-progress', 'never draw the progress bar')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: { from?: string; baseUrl: string; progress: boolean; format: 'table' | 'json' }) => {
      if (flags.from !== undefined && flags.baseUrl !== deps.trustStore.defaultBaseUrl) throw new AbsolveError('USAGE', '--from and --base-url exclude each other');
      if (flags.from === undefined && !/^https?:\/\//i.test(flags.baseUrl)) throw new AbsolveError('USAGE', `--base-url takes an http:// or https:// URL (got '${flags.baseUrl}')`);
      const progress = createProgress(deps.stderr, flags.progress);
      let started = false;
      const onProgress = (done: number, total: number): void => {
        if (!started) {
          progress.start(total, flags.from === undefined ? 'downloading roots' : 'importing roots');
          started = true;
        }
        progress.tick(String(done));
      };
      let summary: TrustUpdateSummary;
      try {
        summary = flags.from === undefined ? await deps.trustStore.update({ baseUrl: flags.baseUrl, onProgress }) : await deps.trustStore.importFrom({ from: flags.from, onProgress });
      } finally {
        if (started) progress.stop();
      }
      if (flags.format === 'json') {
        writeJSON(deps, summaryJSON(summary));
        return;
      }
      deps.stdout.write(
        `Microsoft trust list of ${isoDate(summary.thisUpdate)} (sequence ${summary.sequenceNumber}): ${summary.entries} roots, ` +
          `${summary.certificates} code-signing/time-stamping root certificate(s) stored in ${summary.dir}` +
          `${summary.missing > 0 ? `; ${summary.missing} not available from the source` : ''}.\n` +
          `'absolve audit' and 'absolve release add' now judge signatures against it (--trust-store node for Node's roots).\n`,
      );
    });

  trust
    .command('status')
    .description('Which root store audits use, and the Microsoft list\'s date and counts.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (flags: { format: 'table' | 'json' }) => {
      const status = await deps.trustStore.status();
      if (flags.format === 'json') {
        const m = status.microsoft;
        writeJSON(deps, {
          schema: TRUST_STATUS_SCHEMA,
          defaultStore: status.defaultStore,
          dir: status.dir,
          microsoft:
            m === null
              ? null
              : { ...m, thisUpdate: isoDate(m.thisUpdate), nextUpdate: m.nextUpdate === null ? null : isoDate(m.nextUpdate) },
          problem: status.problem,
          nodeRoots: status.nodeRoots,
        });
        return;
      }
      const m = status.microsoft;
      const lines = [`Default store: ${status.defaultStore === 'microsoft' ? "Microsoft's Trusted Root Program" : "Node's bundled Mozilla roots"}`, `Microsoft store: ${status.dir}`];
      if (m === null) {
        lines.push(status.problem === null ? "  not imported: run 'absolve trust update' (or --from DIR offline)" : `  unusable: ${status.problem}`);
      } else {
        lines.push(
          `  list of ${isoDate(m.thisUpdate)}, sequence ${m.sequenceNumber}${m.nextUpdate === null ? '' : `, next update ${isoDate(m.nextUpdate)}`}`,
          `  ${m.entries} roots; ${m.authenticodeRoots} trusted for code signing or time stamping, ${m.anchors} of them stored${m.missing > 0 ? `, ${m.missing} missing` : ''}`,
          `  ${m.notBefore} with a NotBefore cut-off, ${m.disallowed} disabled from a date`,
          `  list signed by ${m.signerChain.join(' <- ')}`,
        );
      }
      lines.push(`Node roots: ${status.nodeRoots}`);
      deps.stdout.write(`${lines.join('\n')}\n`);
    });

  return trust;
}
