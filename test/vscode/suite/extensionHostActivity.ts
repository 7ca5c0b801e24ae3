// What the extension host process is doing right now, read from Linux's /proc: its child processes
// and its network sockets. Suites use it to prove that in Restricted Mode nothing is executed and
// no database is contacted. (Unix-domain sockets are the host's own IPC with the server: not network.)
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface NetworkSocket {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  local: string;
  remote: string;
  /** TCP state as the kernel names it (ESTABLISHED, LISTEN, SYN_SENT...); '' for UDP. */
  state: string;
}

export interface ChildProcessInfo {
  pid: number;
  commandLine: string;
}

const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED', '02': 'SYN_SENT', '03': 'SYN_RECV', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT',
  '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING',
};

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** "0100007F:1538" -> "127.0.0.1:5432"; IPv6 addresses are shown as the kernel's hex. */
function decodeAddress(hex: string, protocol: NetworkSocket['protocol']): string {
  const [address, port] = hex.split(':');
  const portNumber = parseInt(port, 16);
  if (protocol === 'tcp' || protocol === 'udp') {
    const bytes = address.match(/../g)!.map((byte) => parseInt(byte, 16)).reverse();
    return `${bytes.join('.')}:${portNumber}`;
  }
  return `[${address}]:${portNumber}`;
}

/** Network sockets (TCP/UDP, v4/v6) held open by this process (the extension host, when run inside it). */
export function networkSocketsOfThisProcess(): NetworkSocket[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  const sockets: NetworkSocket[] = [];
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    for (const line of readOrEmpty(`/proc/self/net/${protocol}`).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9])) continue;
      sockets.push({
        protocol,
        local: decodeAddress(fields[1], protocol),
        remote: decodeAddress(fields[2], protocol),
        state: protocol.startsWith('tcp') ? (TCP_STATES[fields[3]] ?? fields[3]) : '',
      });
    }
  }
  return sockets;
}

/** Live child processes of this process (direct children: what child_process.spawn would have made). */
export function childProcessesOfThisProcess(): ChildProcessInfo[] {
  const children: ChildProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOrEmpty(`/proc/${entry}/stat`);
    if (!stat) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) !== process.pid || fields[0] === 'Z') continue;
    children.push({ pid: Number(entry), commandLine: readOrEmpty(`/proc/${entry}/cmdline`).split('\0').join(' ').trim() });
  }
  return children;
}
