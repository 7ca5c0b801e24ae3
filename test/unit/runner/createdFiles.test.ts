import assert from 'node:assert/strict';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { currentHostIdentity, findForeignOwnedFile } from '../../../src/core/runner/createdFiles';

describe('findForeignOwnedFile', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'aw-owner-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('spots a file that root (the container) wrote for a non-root user and describes both fixes', function () {
    // Creating a file owned by root needs root; that is how this suite runs here.
    if (currentHostIdentity()?.uid !== 0) this.skip();
    const file = path.join(dir, '2026_11_25_2300-0a1b2c3d4e5f_add tags.py');
    writeFileSync(file, '# generated\n');
    const problem = findForeignOwnedFile(file, { uid: 1000, gid: 1000 });
    assert.ok(problem);
    assert.equal(problem.ownerUid, 0);
    assert.deepEqual(problem.chownCommand, ['sudo', 'chown', '1000:1000', file]);
    assert.equal(problem.chownCommandLine, `sudo chown 1000:1000 '${file}'`);
    assert.equal(problem.suggestedComposeUser, '${hostUser}');
    assert.match(problem.message, /was written by root \(inside the container\), so you cannot edit or delete it/);
    assert.match(problem.message, /docker compose exec --user 1000:1000/);
  });

  it('says nothing when the user owns the file, is root, or the file is gone', function () {
    if (currentHostIdentity()?.uid !== 0) this.skip();
    const file = path.join(dir, 'mine.py');
    writeFileSync(file, '');
    chownSync(file, 1000, 1000);
    assert.equal(findForeignOwnedFile(file, { uid: 1000, gid: 1000 }), undefined);
    assert.equal(findForeignOwnedFile(file, { uid: 0, gid: 0 }), undefined);
    assert.equal(findForeignOwnedFile(path.join(dir, 'missing.py'), { uid: 1000, gid: 1000 }), undefined);
    assert.equal(findForeignOwnedFile(file, { uid: 1001, gid: 1001 })?.ownerUid, 1000);
  });
});
