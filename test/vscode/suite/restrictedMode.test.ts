// Restricted Mode promise: in an untrusted workspace Alembic Workbench reads files but executes
// nothing and contacts no database. Checked on the real extension host process through /proc,
// after the probe itself has been shown to see a process and a socket when there is one.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import * as vscode from 'vscode';
import { childProcessesOfThisProcess, networkSocketsOfThisProcess } from './extensionHostActivity';
import { EXTENSION_ID, readTestEnvironment } from './testEnvironment';
import { waitFor } from '../../support/waitFor';

const environment = readTestEnvironment();

suite('Extension host activity probe', () => {
  test('sees a child process and a TCP connection that the test makes itself', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    const socket = createConnection(port, '127.0.0.1');
    try {
      await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      await waitFor('the probe to see the child', () => childProcessesOfThisProcess().some((info) => info.pid === child.pid));
      const sockets = networkSocketsOfThisProcess();
      assert.ok(sockets.some((entry) => entry.remote === `127.0.0.1:${port}` && entry.state === 'ESTABLISHED'), JSON.stringify(sockets));
      assert.ok(sockets.some((entry) => entry.local === `127.0.0.1:${port}` && entry.state === 'LISTEN'), JSON.stringify(sockets));
    } finally {
      socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      // Leave nothing behind for the Restricted Mode check that follows.
      await exited;
    }
  });
});

if (environment.trust === 'untrusted') {
  suite('Restricted Mode (untrusted workspace)', () => {
    test('the extension is active, yet the extension host runs no process and holds no network socket', async () => {
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      await waitFor('activation', () => extension?.isActive);
      // Run what a user can run in Restricted Mode, then look.
      await vscode.commands.executeCommand('alembicWorkbench.showOutput');
      assert.equal(vscode.workspace.isTrusted, false);
      // The host is shared with VS Code's built-in extensions (e.g. the JSON language server starts
      // in any mode); what must not exist is a process of anyone else, such as alembic or docker.
      const builtInExtensions = path.join(vscode.env.appRoot, 'extensions') + path.sep;
      const foreign = childProcessesOfThisProcess().filter((child) => !child.commandLine.includes(builtInExtensions));
      assert.deepEqual(foreign, [], 'a process was started in Restricted Mode');
      // The host carries the workbench's own connection (handed over by code-server, on its port).
      const workbenchConnection = environment.serverPort ? `:${environment.serverPort}` : undefined;
      const foreignSockets = networkSocketsOfThisProcess().filter((socket) => !(workbenchConnection && socket.local.endsWith(workbenchConnection)));
      assert.deepEqual(foreignSockets, [], 'a network socket is open in Restricted Mode');
    });
  });
}
