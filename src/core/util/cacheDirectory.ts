// Where the CLI keeps what it can rebuild (parsed revision headers, V8's compiled code), and short
// stable names for those files. Node built-ins only: the CLI's launcher imports this before any of
// the real program is loaded.
import { homedir } from 'node:os';
import path from 'node:path';

/** `$ALEMBIC_WORKBENCH_CACHE_DIR`, else `$XDG_CACHE_HOME` or `~/.cache`, under `alembic-workbench/`. */
export function cacheDirectory(env: Record<string, string | undefined> = process.env): string {
  return env.ALEMBIC_WORKBENCH_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(env.HOME || homedir(), '.cache'), 'alembic-workbench');
}

/** A 64-bit FNV-1a hash as 16 hex digits: enough to name a cache file, and no crypto module to load. */
export function fnv1a64(text: string): string {
  let high = 0xcbf29ce4;
  let low = 0x84222325;
  for (let index = 0; index < text.length; index++) {
    low ^= text.charCodeAt(index);
    // Multiply (high, low) by the FNV prime 0x100000001b3 in 32-bit halves.
    const lowProduct = low * 0x1b3;
    const carry = Math.floor(lowProduct / 0x100000000);
    high = (high * 0x1b3 + low * 0x100 + carry) >>> 0;
    low = lowProduct >>> 0;
  }
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}
