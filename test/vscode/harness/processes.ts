// Reads the Linux process table (/proc) so the harness can prove that a code-server run left
// nothing behind, whatever its children did (a file watcher, the extension host, a pty host).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  parentPid: number;
  processGroup: number;
  /** One letter from /proc/<pid>/stat: R running, S sleeping, Z zombie... */
  state: string;
  commandLine: string;
}

function readProcFile(pid: number, name: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    // The process ended between listing and reading, or belongs to another user: skip it.
    return undefined;
  }
}

/** Parses /proc/<pid>/stat; the command name in parentheses may itself hold spaces or parentheses. */
function readStat(pid: number): Pick<ProcessInfo, 'parentPid' | 'processGroup' | 'state'> | undefined {
  const stat = readProcFile(pid, 'stat');
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], parentPid: Number(fields[1]), processGroup: Number(fields[2]) };
}

export function listProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (!stat) continue;
    const commandLine = (readProcFile(pid, 'cmdline') ?? '').split('\0').join(' ').trim();
    processes.push({ pid, ...stat, commandLine });
  }
  return processes;
}

export function environmentOf(pid: number): string {
  return readProcFile(pid, 'environ') ?? '';
}

export interface RunMembership {
  /** The process group the run was started in (the server's pid). */
  processGroup: number;
  /** A string unique to the run: its temp folder. */
  marker: string;
  /** An environment variable set to `marker` on the server; every descendant inherits it. */
  markerVariable: string;
}

/**
 * Live (non-zombie) processes that belong to a run: same process group, or the run's marker in
 * their command line, or the marker variable in their environment (which catches descendants
 * that moved to a new session or group).
 */
export function processesOfRun(run: RunMembership): ProcessInfo[] {
  const markerAssignment = `${run.markerVariable}=${run.marker}`;
  return listProcesses().filter((info) => {
    if (info.pid === process.pid || info.state === 'Z') return false;
    if (info.processGroup === run.processGroup) return true;
    if (info.commandLine.includes(run.marker)) return true;
    return environmentOf(info.pid).split('\0').includes(markerAssignment);
  });
}

/** Direct and indirect children of `pid` (live ones only). */
export function descendantsOf(pid: number, processes: ProcessInfo[] = listProcesses()): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const info of processes) {
      if (!parents.has(info.parentPid) || parents.has(info.pid) || info.state === 'Z') continue;
      parents.add(info.pid);
      found.push(info);
      grew = true;
    }
  }
  return found;
}

export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z';
}
