// Navigation over revision ids in the real VS Code, through the same commands the editor runs
// (F12, Shift+F12, hover, CodeLens): on the example project's files as Alembic generated them.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { exampleProject, extensionApi, openLinted, revisionFile, setText, updateSetting, withRestoredFile } from './revisionWorkspace';
import { readTestEnvironment } from './testEnvironment';

const environment = readTestEnvironment();

/** The position of the n-th occurrence of `text` on the line that contains `lineText`. */
function positionOf(document: vscode.TextDocument, lineText: string, text: string, offset = 2): vscode.Position {
  for (let line = 0; line < document.lineCount; line++) {
    const content = document.lineAt(line).text;
    if (content.includes(lineText)) {
      const column = content.indexOf(text);
      assert.ok(column >= 0, `"${text}" not on line ${line + 1}: ${content}`);
      return new vscode.Position(line, column + offset);
    }
  }
  assert.fail(`no line contains "${lineText}"`);
}

type DefinitionResult = Array<vscode.Location | vscode.LocationLink>;

function targetOf(result: DefinitionResult | undefined): { uri: vscode.Uri; range: vscode.Range } {
  assert.ok(result && result.length === 1, `expected one definition, got ${JSON.stringify(result)}`);
  const [first] = result;
  return 'targetUri' in first ? { uri: first.targetUri, range: first.targetSelectionRange ?? first.targetRange } : { uri: first.uri, range: first.range };
}

async function definitionAt(document: vscode.TextDocument, position: vscode.Position) {
  return targetOf(await vscode.commands.executeCommand<DefinitionResult>('vscode.executeDefinitionProvider', document.uri, position));
}

async function revisionLineOf(filePath: string): Promise<number> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(filePath));
  for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text.startsWith('revision = ')) return line;
  assert.fail(`no revision line in ${filePath}`);
}

const shortName = (uri: vscode.Uri) => /-([0-9a-f]{12})_/.exec(path.basename(uri.fsPath))?.[1] ?? path.basename(uri.fsPath);

suite(`Navigation (${environment.trust} workspace)`, () => {
  suiteSetup(async () => {
    await extensionApi();
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test("Go to Definition from down_revision and from the docstring's Revises: line opens the parent's revision line", async () => {
    const { document } = await openLinted(revisionFile('a64b9c0e2f57'));
    const parent = revisionFile('17f05d8e3b92');
    const parentLine = await revisionLineOf(parent);
    for (const [lineText, id] of [
      ["down_revision = '17f05d8e3b92'", '17f05d8e3b92'],
      ['Revises: 17f05d8e3b92', '17f05d8e3b92'],
    ]) {
      const target = await definitionAt(document, positionOf(document, lineText, id));
      assert.equal(target.uri.fsPath, parent, lineText);
      assert.equal(target.range.start.line, parentLine, lineText);
      const parentDocument = await vscode.workspace.openTextDocument(target.uri);
      assert.equal(parentDocument.getText(target.range), '17f05d8e3b92');
    }
  });

  test('each id of a merge tuple goes to its own parent', async () => {
    const { document } = await openLinted(revisionFile('b5e2a7d9c3f8'));
    const line = document.getText().split('\n').find((text) => text.startsWith('down_revision'))!;
    const ids = [...line.matchAll(/'([0-9a-f]{12})'/g)].map((match) => match[1]);
    assert.equal(ids.length, 2, line);
    for (const id of ids) {
      const target = await definitionAt(document, positionOf(document, 'down_revision', id));
      assert.equal(shortName(target.uri), id);
    }
  });

  test('follows the unsaved text: an edited down_revision goes to its new parent', async () => {
    await withRestoredFile(revisionFile('a64b9c0e2f57'), async (document) => {
      await vscode.window.showTextDocument(document);
      await setText(document, document.getText().replace("down_revision = '17f05d8e3b92'", "\n\ndown_revision = 'c3a9e1b27d44'"));
      const target = await definitionAt(document, positionOf(document, "down_revision = 'c3a9e1b27d44'", 'c3a9e1b27d44'));
      assert.equal(shortName(target.uri), 'c3a9e1b27d44');
    });
  });

  test("Find References on a branch point's revision lists both children (down_revision and Revises:)", async () => {
    const { document } = await openLinted(revisionFile('e91f4c6b0a38'));
    const locations = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', document.uri, positionOf(document, "revision = 'e91f4c6b0a38'", 'e91f4c6b0a38'));
    const naming = locations.filter((location) => location.uri.toString() !== document.uri.toString());
    assert.deepEqual([...new Set(naming.map((location) => shortName(location.uri)))].sort(), ['2c8d7e9f1b60', '6a0e5b3c8d29']);
    assert.equal(naming.length, 4, naming.map((location) => `${shortName(location.uri)}:${location.range.start.line}`).join(', '));
    for (const location of naming) {
      const child = await vscode.workspace.openTextDocument(location.uri);
      assert.equal(child.getText(location.range), 'e91f4c6b0a38');
    }
  });

  test('Hover on a revision id shows its message, date, file, markers and findings', async () => {
    const { document } = await openLinted(revisionFile('a64b9c0e2f57'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, "down_revision = '17f05d8e3b92'", '17f05d8e3b92'));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(text, /\*\*`17f05d8e3b92`\*\* index meetings created\\_at/);
    assert.match(text, /Created 2026-11-25/);
    assert.match(text, /2026\\_11\\_25\\_2225-17f05d8e3b92\\_index\\_meetings\\_created\\_at\.py\]\(file:\/\/\/.*#L13\)/);
    assert.match(text, /revises `c3a9e1b27d44` · followed by `a64b9c0e2f57`/);
    assert.match(text, /Lint: no findings/);
    const self = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, positionOf(document, "revision = 'a64b9c0e2f57'", 'a64b9c0e2f57'));
    assert.match(self.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n'), /Lint: 1 error, 1 warning, 1 info/);
    const merge = await openLinted(revisionFile('b5e2a7d9c3f8'));
    const mergeHover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', merge.document.uri, positionOf(merge.document, "revision = 'b5e2a7d9c3f8'", 'b5e2a7d9c3f8'));
    assert.match(mergeHover.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n'), /head · merge point · branch `tags`/);
  });

  test(`CodeLens above revision = ...: ${environment.trust === 'trusted' ? 'Upgrade to here | Downgrade to here | Show SQL with a RevisionArgument' : 'none in Restricted Mode'}`, async () => {
    const project = await exampleProject();
    const { document } = await openLinted(revisionFile('e91f4c6b0a38'));
    const ours = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)) ?? []).filter((lens) =>
        /^alembicWorkbench\.|^$/.test(lens.command?.command ?? ''),
      );
    if (environment.trust === 'untrusted') {
      assert.deepEqual(await ours(), []);
      return;
    }
    const lenses = (await ours()).filter((lens) => lens.command?.command);
    assert.deepEqual(
      lenses.map((lens) => [lens.command!.title, lens.command!.command]),
      [
        ['Upgrade to here', 'alembicWorkbench.upgradeToRevision'],
        ['Downgrade to here', 'alembicWorkbench.downgradeToRevision'],
        ['Show SQL', 'alembicWorkbench.showSql'],
      ],
    );
    for (const lens of lenses) {
      assert.deepEqual(lens.command!.arguments, [{ projectId: project.id, revision: 'e91f4c6b0a38' }]);
      assert.ok(document.lineAt(lens.range.start.line).text.startsWith("revision = 'e91f4c6b0a38'"));
    }
    try {
      await updateSetting('codeLens.enabled', false);
      assert.deepEqual(await ours(), []);
    } finally {
      await updateSetting('codeLens.enabled', undefined);
    }
    assert.equal((await ours()).filter((lens) => lens.command?.command).length, 3);
  });
});
