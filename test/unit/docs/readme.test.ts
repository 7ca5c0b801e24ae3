// The README is a newcomer's first page: it must stay true to package.json and the rule catalog.
// Each table row is checked against what the extension declares, so a new setting, command or rule
// that is not documented fails here instead of going unnoticed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CLI_COMMANDS } from '../../../src/cli/commands';
import { LINT_RULES as RULES } from '../../../src/core/lint/ruleCatalog';

const ROOT = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, { default?: unknown; enum?: string[] }> };
  };
};

/** The first cell of every row of the Markdown table under `heading`. */
function firstColumn(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no "${heading}" section`);
  const section = readme.slice(start + heading.length + 2).split(/\n#{1,3} /)[0];
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('|---'))
    .slice(1)
    .map((line) => line.split(' | ')[0].slice(2).trim());
}

describe('README', () => {
  it('documents every setting of package.json, with its real default, and no setting that does not exist', () => {
    const declared = manifest.contributes.configuration.properties;
    const documented = firstColumn('### Settings').map((cell) => cell.replace(/`/g, ''));
    assert.deepEqual([...documented].sort(), Object.keys(declared).map((key) => key.replace('alembicWorkbench.', '')).sort());
    for (const [key, schema] of Object.entries(declared)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key.replace('alembicWorkbench.', '')}\` |`))!;
      const shownDefault = row.split(' | ')[1].replace(/`/g, '');
      const expected = typeof schema.default === 'string' ? (schema.default === '' ? '""' : schema.default) : JSON.stringify(schema.default).replace(/","/g, '", "');
      assert.equal(shownDefault, expected, `the default README shows for ${key}`);
      for (const value of schema.enum ?? []) assert.ok(row.includes(`\`${value}\``), `README's row for ${key} names the value ${value}`);
    }
  });

  it('lists every command of package.json by its title', () => {
    const documented = firstColumn('### Commands').join(' / ');
    for (const { title } of manifest.contributes.commands) {
      const name = title.replace(/ \(.*\)$/, '');
      assert.ok(documented.includes(name), `README's command table lacks "${title}"`);
    }
  });

  it('lists every subcommand of the CLI, and no other', () => {
    const start = readme.indexOf('| command | what it prints |');
    assert.ok(start >= 0, "README has no CLI command table");
    const rows = readme.slice(start).split('\n\n')[0].split('\n').slice(2);
    const documented = rows.map((row) => /^\| `([a-z]+)/.exec(row)?.[1]);
    assert.deepEqual([...documented].sort(), CLI_COMMANDS.map((command) => command.name).sort());
  });

  it('links every lint rule to its docs page, and every link it makes resolves', () => {
    for (const rule of RULES) {
      assert.ok(readme.includes(`[${rule.name}](docs/rules/${rule.name}.md)`), `README's rule table lacks ${rule.code} ${rule.name}`);
    }
    for (const [, target] of readme.matchAll(/\]\(((?!https?:)[^)#]+)(#[^)]*)?\)/g)) {
      assert.ok(existsSync(path.join(ROOT, target)), `README links to ${target}, which does not exist`);
    }
  });
});
