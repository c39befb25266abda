/**
 * What an antivirus detection name tells a publisher. Produced by `classifyDetection` from the
 * engine name and the verdict string an engine reported (for example a VirusTotal
 * `last_analysis_results[engine].result`).
 */
export type DetectionKind =
  /** A machine-learning / AI model scored the file; no signature was written for it. */
  | 'ml'
  /** A heuristic, emulation or behaviour analyser flagged the file. */
  | 'heuristic'
  /** A cloud reputation or prevalence system flagged the file (new, rare, unsigned…). */
  | 'reputation'
  /** A signature written to catch many unrelated files ("Generic", "Agent", catch-all names). */
  | 'generic-signature'
  /** Potentially unwanted / unsafe application, riskware, adware, hack tool. */
  | 'pup'
  /** A specific malware family that analysts researched and named. */
  | 'family'
  /** No rule recognised the name. */
  | 'unknown';

export interface DetectionClassification {
  /** Canonical engine name (see `canonicalEngineName`); an unknown engine is returned trimmed. */
  engine: string;
  /**
   * True when the name does not identify researched malware: ML, heuristic, reputation and
   * generic-signature verdicts. These follow the file's hash, so each new build can be hit again;
   * signing and reputation are the lasting fixes, a false-positive report fixes one file.
   */
  generic: boolean;
  kind: DetectionKind;
  /** One or two sentences for the publisher: what the name means and what usually helps. */
  explanation: string;
  /** Where the meaning is documented (URL or reference), or null when only our reading of the name. */
  source: string | null;
  /** The family named in the detection, when the name carries one and is not a generic verdict. */
  family?: string;
  /** A score the engine printed in the name (0–100), e.g. CrowdStrike `malicious_confidence_90%`. */
  confidence?: number;
}
