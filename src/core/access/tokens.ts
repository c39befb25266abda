/**
 * API tokens of the HTTP service. A token is 256 random bits, shown once when created; the store
 * keeps only its SHA-256, so neither a copy of the database nor a log can give it back.
 */
import { createHash, randomBytes } from 'node:crypto';

export type TokenRole = 'read' | 'write' | 'admin';

export const TOKEN_ROLES: readonly TokenRole[] = ['read', 'write', 'admin'];

/** A role includes the ones before it: admin can write, write can read. */
export function roleAllows(held: TokenRole, needed: TokenRole): boolean {
  return TOKEN_ROLES.indexOf(held) >= TOKEN_ROLES.indexOf(needed);
}

export const TOKEN_PREFIX = 'absolve_';

export interface TokenRecord {
  id: string;
  name: string;
  role: TokenRole;
  /** Lowercase hex SHA-256 of the token's text. */
  hash: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: its clear text (to show once) and the record to store. */
export function newToken(name: string, role: TokenRole, now: Date): { token: string; record: TokenRecord } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return {
    token,
    record: { id: `tok_${randomBytes(6).toString('hex')}`, name, role, hash: hashToken(token), createdAt: now.toISOString(), lastUsedAt: null, revokedAt: null },
  };
}

export interface TokenStore {
  saveToken(record: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  /** Returns false when no live token has that id. */
  revokeToken(id: string, at: string): Promise<boolean>;
  touchToken(id: string, at: string): Promise<void>;
}
