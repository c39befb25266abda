/**
 * A focused structural validator for the SARIF 2.1.0 subset Absolve writes. The OASIS JSON schema
 * (sarif-schema-2.1.0.json) is not vendored here (see the lint work's report); this checks the same
 * constraints for every object type we emit, transcribed from that schema's definitions:
 * - `additionalProperties: false` on sarifLog, run, tool, toolComponent, reportingDescriptor,
 *   multiformatMessageString, reportingConfiguration, result, message, location, physicalLocation,
 *   artifactLocation, logicalLocation, invocation (only the listed property names are allowed);
 * - `required`: sarifLog [version, runs], run [tool], tool [driver], toolComponent [name],
 *   reportingDescriptor [id], multiformatMessageString [text], result [message], invocation
 *   [executionSuccessful]; message needs text or id; physicalLocation needs artifactLocation or address;
 * - types, enums (version "2.1.0", level none|note|warning|error), formats (uri = absolute URI,
 *   uri-reference, date-time), integer minimums (ruleIndex ≥ -1), `uniqueItems` (rules, tags);
 * - and the spec's cross-field rule (3.27.6): results[i].ruleIndex points at a rule whose id is ruleId.
 */

type Json = unknown;

const ALLOWED: Record<string, readonly string[]> = {
  sarifLog: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: [
    'tool', 'invocations', 'conversion', 'language', 'versionControlProvenance', 'originalUriBaseIds', 'artifacts', 'logicalLocations', 'graphs', 'results',
    'automationDetails', 'runAggregates', 'baselineGuid', 'redactionTokens', 'defaultEncoding', 'defaultSourceLanguage', 'newlineSequences', 'columnKind',
    'externalPropertyFileReferences', 'threadFlowLocations', 'taxonomies', 'addresses', 'translations', 'policies', 'webRequests', 'webResponses', 'specialLocations', 'properties',
  ],
  tool: ['driver', 'extensions', 'properties'],
  toolComponent: [
    'guid', 'name', 'organization', 'product', 'productSuite', 'shortDescription', 'fullDescription', 'fullName', 'version', 'semanticVersion', 'dottedQuadFileVersion',
    'releaseDateUtc', 'downloadUri', 'informationUri', 'globalMessageStrings', 'notifications', 'rules', 'taxa', 'locations', 'language', 'contents', 'isComprehensive',
    'localizedDataSemanticVersion', 'minimumRequiredLocalizedDataSemanticVersion', 'associatedComponent', 'translationMetadata', 'supportedTaxonomies', 'properties',
  ],
  reportingDescriptor: ['id', 'deprecatedIds', 'guid', 'deprecatedGuids', 'name', 'deprecatedNames', 'shortDescription', 'fullDescription', 'messageStrings', 'defaultConfiguration', 'helpUri', 'help', 'relationships', 'properties'],
  multiformatMessageString: ['text', 'markdown', 'properties'],
  reportingConfiguration: ['enabled', 'level', 'rank', 'parameters', 'properties'],
  result: [
    'ruleId', 'ruleIndex', 'rule', 'kind', 'level', 'message', 'analysisTarget', 'locations', 'guid', 'correlationGuid', 'occurrenceCount', 'partialFingerprints', 'fingerprints',
    'stacks', 'codeFlows', 'graphs', 'graphTraversals', 'relatedLocations', 'suppressions', 'baselineState', 'rank', 'attachments', 'hostedViewerUri', 'workItemUris',
    'provenance', 'fixes', 'taxa', 'webRequest', 'webResponse', 'properties',
  ],
  message: ['text', 'markdown', 'id', 'arguments', 'properties'],
  location: ['id', 'physicalLocation', 'logicalLocations', 'message', 'annotations', 'relationships', 'properties'],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  logicalLocation: ['name', 'index', 'fullyQualifiedName', 'decoratedName', 'parentIndex', 'kind', 'properties'],
  invocation: [
    'commandLine', 'arguments', 'responseFiles', 'startTimeUtc', 'endTimeUtc', 'exitCode', 'ruleConfigurationOverrides', 'notificationConfigurationOverrides',
    'toolExecutionNotifications', 'toolConfigurationNotifications', 'exitCodeDescription', 'exitSignalName', 'exitSignalNumber', 'processStartFailureMessage',
    'executionSuccessful', 'machine', 'account', 'processId', 'executableLocation', 'workingDirectory', 'environmentVariables', 'stdin', 'stdout', 'stderr',
    'stdoutStderr', 'properties',
  ],
};

const LEVELS = ['none', 'note', 'warning', 'error'];

class Validator {
  readonly errors: string[] = [];

  private fail(path: string, message: string): void {
    this.errors.push(`${path}: ${message}`);
  }

  private object(v: Json, path: string, type: keyof typeof ALLOWED, required: readonly string[] = []): v is Record<string, Json> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(path, `must be an object (${type})`);
      return false;
    }
    const allowed = ALLOWED[type] ?? [];
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail(path, `${type} does not allow property '${k}'`);
    for (const k of required) if (!(k in v)) this.fail(path, `${type} requires '${k}'`);
    if ('properties' in v) this.propertyBag((v as Record<string, Json>).properties, `${path}.properties`);
    return true;
  }

  private string(v: Json, path: string): v is string {
    if (typeof v !== 'string') this.fail(path, 'must be a string');
    return typeof v === 'string';
  }

  private uri(v: Json, path: string, absolute: boolean): void {
    if (!this.string(v, path)) return;
    // RFC 3986: no spaces or characters outside the URI set; an absolute URI starts with a scheme.
    if (!/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*$/.test(v) || /%(?![0-9A-Fa-f]{2})/.test(v)) this.fail(path, `not a URI reference: ${v}`);
    if (absolute && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(v)) this.fail(path, `not an absolute URI: ${v}`);
  }

  private dateTime(v: Json, path: string): void {
    if (this.string(v, path) && (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v)))) this.fail(path, `not an RFC 3339 date-time: ${v}`);
  }

  private uniqueArray(v: Json, path: string): v is Json[] {
    if (!Array.isArray(v)) {
      this.fail(path, 'must be an array');
      return false;
    }
    const seen = new Set(v.map((x) => JSON.stringify(x)));
    if (seen.size !== v.length) this.fail(path, 'items must be unique');
    return true;
  }

  private propertyBag(v: Json, path: string): void {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.fail(path, 'a property bag must be an object');
    const tags = (v as Record<string, Json>).tags;
    if (tags !== undefined && this.uniqueArray(tags, `${path}.tags`)) tags.forEach((t, i) => this.string(t, `${path}.tags[${i}]`));
  }

  private multiformat(v: Json, path: string): void {
    if (this.object(v, path, 'multiformatMessageString', ['text'])) {
      this.string(v.text, `${path}.text`);
      if (v.markdown !== undefined) this.string(v.markdown, `${path}.markdown`);
    }
  }

  private message(v: Json, path: string): void {
    if (!this.object(v, path, 'message')) return;
    if (v.text === undefined && v.id === undefined) this.fail(path, 'message requires text or id');
    if (v.text !== undefined) this.string(v.text, `${path}.text`);
  }

  private descriptor(v: Json, path: string): void {
    if (!this.object(v, path, 'reportingDescriptor', ['id'])) return;
    this.string(v.id, `${path}.id`);
    if (v.name !== undefined) this.string(v.name, `${path}.name`);
    for (const k of ['shortDescription', 'fullDescription', 'help'] as const) if (v[k] !== undefined) this.multiformat(v[k], `${path}.${k}`);
    if (v.helpUri !== undefined) this.uri(v.helpUri, `${path}.helpUri`, true);
    if (v.defaultConfiguration !== undefined && this.object(v.defaultConfiguration, `${path}.defaultConfiguration`, 'reportingConfiguration')) {
      const c = v.defaultConfiguration;
      if (c.level !== undefined && !LEVELS.includes(c.level as string)) this.fail(`${path}.defaultConfiguration.level`, `not one of ${LEVELS.join(', ')}`);
      if (c.enabled !== undefined && typeof c.enabled !== 'boolean') this.fail(`${path}.defaultConfiguration.enabled`, 'must be a boolean');
    }
  }

  private location(v: Json, path: string): void {
    if (!this.object(v, path, 'location')) return;
    if (v.physicalLocation !== undefined && this.object(v.physicalLocation, `${path}.physicalLocation`, 'physicalLocation')) {
      const p = v.physicalLocation;
      if (p.artifactLocation === undefined && p.address === undefined) this.fail(`${path}.physicalLocation`, 'requires artifactLocation or address');
      if (p.artifactLocation !== undefined && this.object(p.artifactLocation, `${path}.physicalLocation.artifactLocation`, 'artifactLocation')) {
        if (p.artifactLocation.uri !== undefined) this.uri(p.artifactLocation.uri, `${path}.physicalLocation.artifactLocation.uri`, false);
      }
    }
    if (v.logicalLocations !== undefined && this.uniqueArray(v.logicalLocations, `${path}.logicalLocations`)) {
      v.logicalLocations.forEach((l, i) => {
        const lp = `${path}.logicalLocations[${i}]`;
        if (this.object(l, lp, 'logicalLocation')) for (const k of ['name', 'fullyQualifiedName', 'kind'] as const) if (l[k] !== undefined) this.string(l[k], `${lp}.${k}`);
      });
    }
  }

  validate(log: Json): string[] {
    if (!this.object(log, '$', 'sarifLog', ['version', 'runs'])) return this.errors;
    if (log.version !== '2.1.0') this.fail('$.version', 'must be "2.1.0"');
    if (log.$schema !== undefined) this.uri(log.$schema, '$.$schema', true);
    if (!Array.isArray(log.runs)) {
      this.fail('$.runs', 'must be an array');
      return this.errors;
    }
    log.runs.forEach((run, r) => {
      const rp = `$.runs[${r}]`;
      if (!this.object(run, rp, 'run', ['tool'])) return;
      let ruleIds: string[] = [];
      if (this.object(run.tool, `${rp}.tool`, 'tool', ['driver']) && this.object(run.tool.driver, `${rp}.tool.driver`, 'toolComponent', ['name'])) {
        const d = run.tool.driver;
        this.string(d.name, `${rp}.tool.driver.name`);
        if (d.version !== undefined) this.string(d.version, `${rp}.tool.driver.version`);
        if (d.informationUri !== undefined) this.uri(d.informationUri, `${rp}.tool.driver.informationUri`, true);
        if (d.rules !== undefined && this.uniqueArray(d.rules, `${rp}.tool.driver.rules`)) {
          d.rules.forEach((x, i) => this.descriptor(x, `${rp}.tool.driver.rules[${i}]`));
          ruleIds = d.rules.map((x) => String((x as { id?: unknown }).id));
          if (new Set(ruleIds).size !== ruleIds.length) this.fail(`${rp}.tool.driver.rules`, 'rule ids must be unique');
        }
      }
      if (run.invocations !== undefined && Array.isArray(run.invocations)) {
        run.invocations.forEach((inv, i) => {
          const ip = `${rp}.invocations[${i}]`;
          if (!this.object(inv, ip, 'invocation', ['executionSuccessful'])) return;
          if (typeof inv.executionSuccessful !== 'boolean') this.fail(`${ip}.executionSuccessful`, 'must be a boolean');
          if (inv.endTimeUtc !== undefined) this.dateTime(inv.endTimeUtc, `${ip}.endTimeUtc`);
        });
      }
      if (run.results === undefined) return;
      if (!Array.isArray(run.results)) return this.fail(`${rp}.results`, 'must be an array');
      run.results.forEach((res, i) => {
        const p = `${rp}.results[${i}]`;
        if (!this.object(res, p, 'result', ['message'])) return;
        this.message(res.message, `${p}.message`);
        if (res.level !== undefined && !LEVELS.includes(res.level as string)) this.fail(`${p}.level`, `not one of ${LEVELS.join(', ')}`);
        if (res.ruleIndex !== undefined) {
          if (!Number.isInteger(res.ruleIndex) || (res.ruleIndex as number) < -1) this.fail(`${p}.ruleIndex`, 'must be an integer ≥ -1');
          else if (ruleIds[res.ruleIndex as number] !== res.ruleId) this.fail(`${p}.ruleIndex`, `points at ${ruleIds[res.ruleIndex as number] ?? 'nothing'}, not ${String(res.ruleId)}`);
        }
        if (res.locations !== undefined && Array.isArray(res.locations)) res.locations.forEach((l, j) => this.location(l, `${p}.locations[${j}]`));
      });
    });
    return this.errors;
  }
}

export function validateSarif(log: Json): string[] {
  return new Validator().validate(log);
}
