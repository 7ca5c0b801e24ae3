// Output for the CLI's processes: straight to the file descriptors. Touching process.stdout loads
// Node's stream modules, a few milliseconds of a `heads` that takes a hundred. Node built-ins only:
// the launcher (src/cliLauncher.ts) uses this too.
import { fstatSync, writeSync } from 'node:fs';

/**
 * A writer for descriptor 1 or 2. A descriptor that would block (a non-blocking pipe, full) hands
 * the rest to Node's stream, and so does every later write, to keep the order.
 */
export function directWriter(descriptor: 1 | 2): (text: string) => void {
  let throughStream = false;
  const stream = () => (descriptor === 1 ? stdoutStream() : process.stderr);
  return (text) => {
    if (throughStream) {
      stream().write(text);
      return;
    }
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(descriptor, bytes, written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // `alembic-workbench history | head` closes the pipe early: that is not an error.
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw error;
      throughStream = true;
      stream().write(bytes.subarray(written));
    }
  };
}

function stdoutStream(): NodeJS.WriteStream {
  const stream = process.stdout;
  if (stream.listenerCount('error') === 0) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
  return stream;
}

/**
 * Whether output goes to a terminal. A pipe or a file (CI, `| less`, the benchmark) is no character
 * device, and then the tty module (which loads Node's net and streams) is not needed to say no.
 */
export function isTerminal(descriptor: number): boolean {
  try {
    if (!fstatSync(descriptor).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for a terminal
  return (require('node:tty') as typeof import('node:tty')).isatty(descriptor);
}
