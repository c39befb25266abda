/**
 * `absolve audit --format sarif`: SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/), one
 * run, written as plain objects (no SARIF library).
 *
 * - tool.driver.rules: every lint rule (ABS-SIG-*, ABS-FP-*) with shortDescription (title), fullDescription
 *   (rationale), help (fix, rationale and source, text and Markdown: the help travels with the report), and
 *   defaultConfiguration (level; enabled false for off-by-default rules); then a plain descriptor for every
 *   other finding or error ID in the report (PE anomalies, container findings, I/O errors).
 * - results: one per finding (failing rules included) and one per artifact error, with the level of the
 *   finding's severity.
 * - Locations: `physicalLocation.artifactLocation.uri` is the file on disk (relative paths stay relative,
 *   absolute ones become file:// URIs). For a container member (`setup.msi!/bin/app.exe`) the uri is the
 *   outermost container (`setup.msi`, the only thing a viewer can open) and a `logicalLocations` entry of kind
 *   "module" carries the member: `name` = the member's own path, `fullyQualifiedName` = the whole
 *   `setup.msi!/bin/app.exe` path, exactly as the JSON report writes it.
 */
import type { ArtifactReport, AuditReport, Severity } from '../core/audit.types.ts';
import { LINT_RULES, type LintRule } from '../core/lint/index.ts';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/**
 * A rule's anchor under a public documentation URL (the README's `<a id="abs-fp-001">`). Only with a base given:
 * Absolve has no public URL yet, and a file:// link to the local README would leak the install path and open
 * nowhere on a code-scanning server, so by default SARIF carries the help text itself (help.markdown).
 */
export function ruleHelpUri(ruleId: string, base: string): string {
  return `${base}#${ruleId.toLowerCase()}`;
}

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifReportingDescriptor {
  id: string;
  name?: string;
  shortDescription: SarifMessage;
  fullDescription?: SarifMessage;
  help?: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: 'error' | 'warning' | 'note'; enabled?: boolean };
  properties?: Record<string, unknown>;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning' | 'note';
  message: SarifMessage;
  locations: Array<{
    physicalLocation: { artifactLocation: { uri: string } };
    logicalLocations?: Array<{ name: string; fullyQualifiedName: string; kind: string }>;
  }>;
  properties?: Record<string, unknown>;
}

export interface SarifOptions {
  rules?: readonly LintRule[];
  /** Public base URL of the rule documentation (helpUri, informationUri); none by default. */
  helpBaseUri?: string;
}

/** A report path as a URI reference: `/` separators, each segment percent-encoded; absolute paths as file:// URIs. */
export function pathToUri(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  const encoded = slashed
    .split('/')
    .map((segment, i) => (i === 0 && /^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  if (slashed.startsWith('/')) return `file://${encoded}`;
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${encoded}`;
  return encoded;
}

function location(artifactPath: string): SarifResult['locations'][number] {
  const i = artifactPath.indexOf('!/');
  if (i < 0) return { physicalLocation: { artifactLocation: { uri: pathToUri(artifactPath) } } };
  const member = artifactPath.slice(artifactPath.lastIndexOf('!/') + 2);
  return {
    physicalLocation: { artifactLocation: { uri: pathToUri(artifactPath.slice(0, i)) } },
    logicalLocations: [{ name: member, fullyQualifiedName: artifactPath, kind: 'module' }],
  };
}

function ruleDescriptor(rule: LintRule, helpBase: string | undefined): SarifReportingDescriptor {
  const sourceLine = rule.source === null ? '' : `\n\nSource: ${rule.source}`;
  return {
    id: rule.id,
    name: rule.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale },
    help: { text: `${rule.fix}${sourceLine}`, markdown: `**${rule.id}: ${rule.title}**\n\n**Fix:** ${rule.fix}\n\n${rule.rationale}${sourceLine}` },
    ...(helpBase === undefined ? {} : { helpUri: ruleHelpUri(rule.id, helpBase) }),
    defaultConfiguration: rule.enabledByDefault ? { level: rule.defaultSeverity } : { level: rule.defaultSeverity, enabled: false },
    properties: {
      category: rule.category,
      tags: [rule.category === 'signature' ? 'authenticode' : 'false-positive-risk', 'security'],
      ...(rule.authenticodeLint === undefined ? {} : { authenticodeLintRule: rule.authenticodeLint }),
    },
  };
}

export function buildSarif(report: AuditReport, options: SarifOptions = {}): Record<string, unknown> {
  const rules = options.rules ?? LINT_RULES;
  const descriptors: SarifReportingDescriptor[] = rules.map((r) => ruleDescriptor(r, options.helpBaseUri));
  const index = new Map(descriptors.map((d, i) => [d.id, i]));
  const ruleIndexFor = (id: string, severity: Severity, kind: 'finding' | 'error'): number => {
    const known = index.get(id);
    if (known !== undefined) return known;
    descriptors.push({
      id,
      shortDescription: { text: kind === 'error' ? `The file could not be audited (${id})` : `Audit finding ${id}` },
      defaultConfiguration: { level: severity },
      properties: { category: kind === 'error' ? 'audit-error' : 'audit-finding' },
    });
    index.set(id, descriptors.length - 1);
    return descriptors.length - 1;
  };

  const results: SarifResult[] = [];
  const add = (a: ArtifactReport, id: string, severity: Severity, text: string, kind: 'finding' | 'error', fix?: string): void => {
    const result: SarifResult = {
      ruleId: id,
      ruleIndex: ruleIndexFor(id, severity, kind),
      level: severity,
      message: { text: `${a.path}: ${text}` },
      locations: [location(a.path)],
    };
    const properties: Record<string, unknown> = { sha256: a.sha256 };
    if (a.signature !== null) properties.signatureStatus = a.signature.status;
    if (fix !== undefined) properties.fix = fix;
    result.properties = properties;
    results.push(result);
  };
  for (const a of report.artifacts) {
    if (a.error !== null) add(a, a.error.code, 'error', a.error.message, 'error');
    for (const f of a.findings) add(a, f.id, f.severity, f.message, 'finding', (f as { fix?: string }).fix);
  }

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'absolve',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.helpBaseUri === undefined ? {} : { informationUri: options.helpBaseUri }),
            rules: descriptors,
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results,
        properties: { schema: report.schema, verifiedAt: report.verifiedAt, inputs: report.inputs, summary: report.summary },
      },
    ],
  };
}

export function renderAuditSARIF(report: AuditReport, options: SarifOptions = {}): string {
  return `${JSON.stringify(buildSarif(report, options), null, 2)}\n`;
}
