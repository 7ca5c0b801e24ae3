// Helpers shared by the database integration suites: a DatabaseClient on a scratch database, an
// address that never answers, a server that accepts and stays silent. Everything on loopback.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createDatabaseClient, type DatabaseClient } from '../../../src/core/db/databaseClient';
import { toDatabaseConnectionSpec } from '../../../src/core/db/sqlalchemyUrl';

export function clientForUrl(url: string, timeoutMs = 3000): DatabaseClient {
  return createDatabaseClient(toDatabaseConnectionSpec(url), { timeoutMs });
}

/** A loopback port nothing listens on (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A loopback port whose SYNs are dropped (see blackhole.py): connect() hangs like a firewalled host. */
export async function blackholePort(): Promise<{ port: number; stop(): void }> {
  const child: ChildProcess = spawn('/usr/bin/python3', [path.join(__dirname, 'blackhole.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`blackhole.py exited with ${code}`)));
  });
  return {
    port: Number(line),
    stop() {
      child.stdin?.end();
      child.kill();
    },
  };
}

/** A server that accepts connections and never says a word (a hung proxy or server). */
export async function silentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await work();
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}
