// One database client (and so one `pg` pool) per target, reused across refreshes and closed on
// dispose. A target whose connection settings change (new URL, a typed password, another host
// mapping) gets a fresh client; the old one is closed.
import { createDatabaseClient, type DatabaseClient, type DatabaseClientOptions } from './databaseClient';
import type { DatabaseConnectionSpec } from './sqlalchemyUrl';

export interface PoolTarget {
  /** Stable id (DatabaseTarget.id). */
  id: string;
  spec: DatabaseConnectionSpec;
}

export class DatabaseConnectionPool {
  private readonly clients = new Map<string, { key: string; client: DatabaseClient }>();
  private disposed = false;

  constructor(private readonly options: DatabaseClientOptions = {}) {}

  /** The client for a target, created on first use. */
  clientFor(target: PoolTarget): DatabaseClient {
    if (this.disposed) throw new Error('DatabaseConnectionPool was disposed');
    const key = connectionKey(target.spec);
    const existing = this.clients.get(target.id);
    if (existing && existing.key === key) return existing.client;
    if (existing) void existing.client.close();
    const client = createDatabaseClient(target.spec, this.options);
    this.clients.set(target.id, { key, client });
    return client;
  }

  /** Closes and forgets one target's client (e.g. when the target is removed from settings). */
  async release(targetId: string): Promise<void> {
    const entry = this.clients.get(targetId);
    this.clients.delete(targetId);
    await entry?.client.close();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Closes every connection. Safe to call twice. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const entries = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(entries.map((entry) => entry.client.close().catch(() => undefined)));
  }
}

/** What identifies one connection: the same target with another password is another connection. */
export function connectionKey(spec: DatabaseConnectionSpec): string {
  // Includes the password on purpose (a typed password must reconnect); it never leaves this map.
  return spec.dialect === 'sqlite' ? `sqlite:${spec.file}` : JSON.stringify([spec.clientConfig, spec.tls]);
}
