// The hover over a revision id, as Markdown: what it says for heads, merges, branch labels,
// database states and findings, and that text written by people can't break the Markdown.
import assert from 'node:assert/strict';
import { escapeMarkdown } from '../../../src/core/util/markdown';
import { revisionHoverMarkdown } from '../../../src/navigation/revisionHoverContent';
import { graphOf } from '../revisions/graphFixtures';

describe('revision hover content', () => {
  const graph = graphOf([
    { id: 'aaa111', message: 'create *users* table' },
    { id: 'bbb222', down: 'aaa111', labels: ['tags'], message: 'tags' },
    { id: 'ccc333', down: 'aaa111', message: 'mappings' },
    { id: 'ddd444', down: ['bbb222', 'ccc333'], message: 'merge' },
  ]);

  it('shows id, message, markers, date, file, family, database state and findings', () => {
    const markdown = revisionHoverMarkdown({
      node: graph.get('ddd444')!,
      fileLabel: 'backend/alembic/versions/ddd444_merge.py',
      fileLink: 'file:///w/backend/alembic/versions/ddd444_merge.py#L13',
      database: { state: 'pending', targetName: 'project' },
      findings: { error: 1, warning: 2, info: 0 },
    });
    const paragraphs = markdown.split('\n\n');
    assert.equal(paragraphs[0], '**`ddd444`** merge');
    assert.equal(paragraphs[1], 'head · merge point · branch `tags`');
    assert.equal(paragraphs[2], 'Created 2026-01-01 00:00:00.000000 · [backend/alembic/versions/ddd444\\_merge.py](file:///w/backend/alembic/versions/ddd444_merge.py#L13)');
    assert.equal(paragraphs[3], 'revises `bbb222`, `ccc333`');
    assert.equal(paragraphs[4], 'Database `project`: pending (not applied yet)');
    assert.equal(paragraphs[5], 'Lint: 1 error, 2 warnings');
  });

  it('a base that branches, with no database state and no findings', () => {
    const markdown = revisionHoverMarkdown({ node: graph.get('aaa111')!, fileLabel: 'v/aaa111.py', findings: { error: 0, warning: 0, info: 0 } });
    assert.match(markdown, /^\*\*`aaa111`\*\* create \\\*users\\\* table\n\nbase · branch point\n\n/);
    assert.match(markdown, /first revision \(revises nothing\) · followed by `bbb222`, `ccc333`/);
    assert.doesNotMatch(markdown, /Database/);
    assert.match(markdown, /Lint: no findings$/);
  });

  it('escapes Markdown in text from files: inline markers anywhere, list and heading markers at a line start', () => {
    assert.equal(escapeMarkdown('[link](x) *b* _i_ `c` <html> ~~s~~ $(icon)'), '\\[link\\](x) \\*b\\* \\_i\\_ \\`c\\` \\<html\\> \\~\\~s\\~\\~ \\$(icon)');
    assert.equal(escapeMarkdown('# title\n- item\n1. first\non 2026-01-01.'), '\\# title\n\\- item\n1\\. first\non 2026-01-01.');
  });
});
