// A container usually runs as root, so `docker compose exec backend alembic revision` leaves a
// root-owned file in the user's bind-mounted versions/ folder: they can't edit or delete it. After
// Generate we look at the new file's owner and describe the two fixes.
import { statSync } from 'node:fs';
import { shellQuote } from './runnerModes';

export interface HostIdentity {
  uid: number;
  gid: number;
}

export interface ForeignOwnedFile {
  file: string;
  ownerUid: number;
  ownerGid: number;
  user: HostIdentity;
  /** One sentence for the notification. */
  message: string;
  /** Value for the runner's `--user` setting so future files are the user's own. */
  suggestedComposeUser: string;
  /** The command that gives this file back to the user (needs sudo: the file is root's). */
  chownCommand: string[];
  /** `chownCommand` as a copy-pasteable line. */
  chownCommandLine: string;
}

/** The identity of this process, or undefined where uids don't exist (Windows). */
export function currentHostIdentity(): HostIdentity | undefined {
  if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function') return undefined;
  return { uid: process.getuid(), gid: process.getgid() };
}

/**
 * Describes the problem when `file` belongs to another user (typically root from the container)
 * than `user`; undefined when it is the user's own, when the user is root, or on Windows.
 */
export function findForeignOwnedFile(file: string, user: HostIdentity | undefined = currentHostIdentity()): ForeignOwnedFile | undefined {
  if (!user || user.uid === 0) return undefined;
  let owner: { uid: number; gid: number };
  try {
    owner = statSync(file);
  } catch {
    return undefined;
  }
  if (owner.uid === user.uid) return undefined;
  const ownerName = owner.uid === 0 ? 'root' : `user ${owner.uid}`;
  const chownCommand = ['sudo', 'chown', `${user.uid}:${user.gid}`, file];
  return {
    file,
    ownerUid: owner.uid,
    ownerGid: owner.gid,
    user,
    message:
      `${file} was written by ${ownerName} (inside the container), so you cannot edit or delete it. ` +
      `Run Alembic as yourself (docker compose exec --user ${user.uid}:${user.gid}) and take this file back with: ` +
      chownCommand.map(shellQuote).join(' '),
    suggestedComposeUser: '${hostUser}',
    chownCommand,
    chownCommandLine: chownCommand.map(shellQuote).join(' '),
  };
}
