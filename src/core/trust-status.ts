/** What `absolve trust status` reports: which root store audits use by default, and what the Microsoft store holds. */
export interface TrustStoreStatus {
  /** The store `audit` uses by default. */
  defaultStore: 'microsoft' | 'node';
  dir: string;
  microsoft: null | {
    thisUpdate: Date;
    nextUpdate: Date | null;
    sequenceNumber: string;
    entries: number;
    /** Roots trusted for code signing or time stamping. */
    authenticodeRoots: number;
    /** Of those, the ones whose certificate is in the store. */
    anchors: number;
    missing: number;
    disallowed: number;
    notBefore: number;
    signerChain: string[];
  };
  /** The problem when a store exists but cannot be used. */
  problem: string | null;
  nodeRoots: number;
}
