// Helper process for harness.test.ts: starts a code-server the way `npm run demo` or a test run
// does, prints what the test needs to find it, then waits for a signal (Ctrl+C) to see that the
// harness's own signal handling stops it and leaves nothing behind.
import { startCodeServer } from '../codeServer';

async function main(): Promise<void> {
  const workspaceFolder = process.argv[2];
  const server = await startCodeServer({ workspaceFolder, trusted: true });
  const url = await server.workbenchUrl();
  process.stdout.write(`${JSON.stringify({ url, membership: server.membership, tempRoot: server.tempRoot })}\n`);
  // Stay alive until a signal arrives; the harness's handlers stop the server and exit.
  setInterval(() => {}, 60_000);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
