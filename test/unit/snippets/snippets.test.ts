// The Python snippets the extension contributes (snippets/alembic-python.json): each, expanded with
// its default values, is a revision file our parser reads as Alembic would and the core lint finds
// nothing in (on the dialect it is for); the health check is Python that parses. The real Alembic
// runs them in test/integration/snippets; the real VS Code expands them in test/vscode (snippets suite).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLintContext } from '../../../src/core/lint/lintContext';
import { lintMigration } from '../../../src/core/lint/lintEngine';
import { findPythonSyntaxError, parseRevisionFile } from '../../../src/core/revisions/revisionFile';
import { REPO_ROOT } from '../../support/realAlembic';
import { expandSnippetDefaults, revisionWithSnippet } from '../../support/snippetExpansion';

interface Snippet {
  prefix: string[];
  description: string;
  body: string[];
}

const SNIPPETS_FILE = path.join(REPO_ROOT, 'snippets', 'alembic-python.json');
const snippets = JSON.parse(readFileSync(SNIPPETS_FILE, 'utf8')) as Record<string, Snippet>;
const HEALTH_CHECK = 'Alembic: FastAPI health check of the migration state';

describe('contributed snippets', () => {
  it('are the ones package.json contributes for python', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { snippets: Array<{ language: string; path: string }> } };
    assert.deepEqual(manifest.contributes.snippets, [{ language: 'python', path: './snippets/alembic-python.json' }]);
    assert.deepEqual(Object.keys(snippets).sort(), [
      'Alembic: FastAPI health check of the migration state',
      'Alembic: add a column nullable, backfill, then NOT NULL',
      'Alembic: batch_alter_table for SQLite',
      'Alembic: concurrent index',
      'Alembic: data migration in batches',
      'Alembic: foreign key NOT VALID, then VALIDATE',
    ]);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    describe(name, () => {
      const expanded = expandSnippetDefaults(snippet.body.join('\n'));

      it('has tab stops, each placeholder default the same wherever it repeats, and a final $0', () => {
        const body = snippet.body.join('\n');
        assert.match(body, /\$\{1:/);
        assert.match(body, /\$0|\$\{0:/);
        assert.doesNotMatch(expanded, /\$\{|\$\d/);
        // VS Code mirrors a tab stop with the first default it meets; differing defaults would surprise.
        const defaults = new Map<string, Set<string>>();
        for (const [, stop, text] of body.matchAll(/\$\{(\d+):([^${}]*)\}/g)) defaults.set(stop, (defaults.get(stop) ?? new Set()).add(text));
        for (const [stop, texts] of defaults) assert.equal(texts.size, 1, `tab stop ${stop} has defaults ${[...texts].join(' / ')}`);
      });

      if (name === HEALTH_CHECK) {
        it('is Python that parses, comparing the database heads with the script directory heads', () => {
          assert.equal(findPythonSyntaxError(expanded), undefined);
          assert.match(expanded, /ScriptDirectory\.from_config\(Config\('alembic\.ini'\)\)\.get_heads\(\)/);
          assert.match(expanded, /MigrationContext\.configure\(connection\)\.get_current_heads\(\)/);
          assert.match(expanded, /HTTP_503_SERVICE_UNAVAILABLE/);
        });
        return;
      }

      it('expands into a revision file that parses and lints clean', () => {
        const source = revisionWithSnippet(expanded, { id: '5a1e0000aa01', down: '5a1e0000aa00' });
        assert.equal(findPythonSyntaxError(source), undefined, source);
        const parsed = parseRevisionFile(source, '/project/versions/5a1e0000aa01_snippet.py');
        assert.equal(parsed.revision, '5a1e0000aa01');
        assert.deepEqual(parsed.downRevisions, ['5a1e0000aa00']);
        assert.deepEqual(parsed.headerIssues, []);
        const dialect = name === 'Alembic: batch_alter_table for SQLite' ? 'sqlite' : 'postgresql';
        const result = lintMigration(source, { filePath: 'snippet.py', context: createLintContext({ dialect }) });
        assert.deepEqual(result.findings.map((finding) => `${finding.code} ${finding.message}`), []);
        assert.deepEqual(result.configProblems, []);
      });
    });
  }

  it('the unsafe forms they replace are found by the same lint (the test can fail)', () => {
    const unsafe = revisionWithSnippet(
      "def upgrade() -> None:\n    op.create_index('ix_meetings_created_at', 'meetings', ['created_at'])\n\n\ndef downgrade() -> None:\n    op.drop_index('ix_meetings_created_at', table_name='meetings')\n",
      { id: '5a1e0000aa01', down: '5a1e0000aa00' },
    );
    const result = lintMigration(unsafe, { filePath: 'unsafe.py', context: createLintContext({ dialect: 'postgresql' }) });
    assert.ok(result.findings.some((finding) => finding.code === 'AW104'), result.findings.map((finding) => finding.code).join());
  });
});
