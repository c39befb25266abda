/** API tokens over Kysely (SQLite, PostgreSQL, PGlite): hashes only. */
import type { Kysely, Selectable } from 'kysely';
import type { TokenRecord, TokenRole, TokenStore } from '../core/access/tokens.ts';
import type { ApiTokenTable, StoreDatabase } from './schema.ts';

function tokenOf(row: Selectable<ApiTokenTable>): TokenRecord {
  return { id: row.id, name: row.name, role: row.role as TokenRole, hash: row.hash, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}

export class KyselyTokenStore implements TokenStore {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async saveToken(r: TokenRecord): Promise<void> {
    await this.db.insertInto('api_token').values({ id: r.id, name: r.name, role: r.role, hash: r.hash, created_at: r.createdAt, last_used_at: r.lastUsedAt, revoked_at: r.revokedAt }).execute();
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('api_token').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row === undefined ? undefined : tokenOf(row);
  }

  async listTokens(): Promise<TokenRecord[]> {
    return (await this.db.selectFrom('api_token').selectAll().orderBy('created_at').orderBy('id').execute()).map(tokenOf);
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
