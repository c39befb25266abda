/**
 * The vendor directory's shape: one entry per antivirus engine as VirusTotal names it.
 */

/** How a vendor takes reports: a web form (fill in, upload), an email address, a portal that needs an account, or a command-line tool. */
export type ChannelKind = 'web-form' | 'email' | 'portal' | 'api';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['web-form', 'email', 'portal', 'api'];

/**
 * What is known of a channel: `listed` (in the sources, no report of trouble), `bounces` (mail
 * returned or rejected), `unresponsive` (no answer, spam-filtered, auto-reply only),
 * `customers-only` (needs a customer account or contract), `retiring` (the vendor announced its end).
 * Absolve never sends to a channel that is not `listed`.
 */
export type ChannelStatus = 'listed' | 'bounces' | 'unresponsive' | 'customers-only' | 'retiring';
export const CHANNEL_STATUSES: readonly ChannelStatus[] = ['listed', 'bounces', 'unresponsive', 'customers-only', 'retiring'];

export interface VendorChannel {
  kind: ChannelKind;
  /** A URL, an email address, or (for `api`) the command line. */
  address: string;
  status: ChannelStatus;
  /** What the source says of this channel ('' when nothing). */
  note: string;
}

export interface VendorRequirements {
  /** Password of the ZIP the files travel in; null = the vendor refuses password-protected archives. */
  archivePassword: string | null;
  /** Largest archive the vendor accepts, in bytes (null: no limit known). Above it Absolve sends hashes and a link only. */
  maxArchiveBytes: number | null;
  /** Most files per submission (null: no limit known). */
  maxFiles: number | null;
  /** A mail subject must start with this (McAfee: `FALSE`), or null. */
  subjectPrefix: string | null;
  /** The channel needs a sign-in (Microsoft WDSI, forums, customer portals). */
  accountRequired: boolean;
  /** The detection name is a required field. */
  detectionNameRequired: boolean;
  /** The vendor says to send the VirusTotal link or the SHA-256 when the file is too large. */
  hashOnlyWhenTooLarge: boolean;
  /** Where these requirements are documented (null: the defaults, no vendor-specific source). */
  source: string | null;
}

/**
 * An allowlisting programme. `per-release`: clean software is submitted for every release
 * (Absolve drafts an `allowlist` case when a release is added); `certificate`: allowlisting by
 * signing certificate (a new certificate needs a `certificate-change` notice); `one-off`: a
 * single enrolment; `none`: the vendor says it has none.
 */
export type ProgrammeKind = 'per-release' | 'certificate' | 'one-off' | 'none';
export const PROGRAMME_KINDS: readonly ProgrammeKind[] = ['per-release', 'certificate', 'one-off', 'none'];

export interface VendorProgramme {
  name: string;
  kind: ProgrammeKind;
  url: string | null;
  /** Email address to write to for this programme, or null. */
  contact: string | null;
  note: string;
}

export interface VendorEntry {
  /** The engine's name as VirusTotal reports it (the directory's key). */
  engine: string;
  /** The company. */
  vendor: string;
  /** Other names of this engine (VirusTotal result keys, display names, renames). */
  aliases: string[];
  /** The engine whose detections this one follows (BitDefender's OEM engines), or null. */
  upstream: string | null;
  /** In order of preference. */
  channels: VendorChannel[];
  requirements: VendorRequirements;
  programmes: VendorProgramme[];
  /** A short summary for the publisher, or null. */
  notes: string | null;
  /** Where the facts come from (URLs, repository@commit references). */
  sources: string[];
  /** When the facts were last checked (YYYY-MM-DD). */
  checked: string;
  /** Set on entries a user added or changed in absolve.config.json. */
  origin?: 'config';
}
