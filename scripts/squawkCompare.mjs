// Compares our lint with Squawk (the PostgreSQL migration linter) on offline SQL: every revision
// of the example project and of ../shared/realworld is rendered by the real Alembic
// (scripts/lib/render_offline_sql.py), Squawk lints each revision's SQL, and each safety finding
// of Squawk is matched with our findings of the same kind in that revision's upgrade. Prints
// a Markdown report: what Squawk flags that we miss is a recall gap to close or to explain in
// docs/lint-accuracy.md (issue 15, item 8). `npm run lint:squawk` (needs `npm run build`).
//
// Squawk: $SQUAWK (a squawk binary), else `npx --yes squawk-cli@2.66.0` (not a dependency: the
// comparison is a review tool, not part of the product). Alembic: the Python that runs the
// `alembic` found on PATH (its shebang), or $ALEMBIC_PYTHON.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REALWORLD = path.resolve(REPO, '..', 'shared', 'realworld');
const SNAPSHOT = path.join(REPO, 'test', 'fixtures', 'realworld-lint-snapshot.txt');
const SQUAWK_VERSION = '2.66.0';

/** Squawk rule -> our rule codes that report the same risk. Style rules (prefer-*, ban-char-field) are left out. */
const SAME_RISK = {
  'adding-required-field': ['AW102'],
  'adding-not-nullable-field': ['AW102', 'AW103'],
  'changing-column-type': ['AW101', 'AW204'],
  'ban-drop-column': ['AW201', 'AW203', 'AW503'],
  'ban-drop-table': ['AW202', 'AW503'],
  'require-concurrent-index-creation': ['AW104'],
  'require-concurrent-index-deletion': ['AW106'],
  'adding-foreign-key-constraint': ['AW107'],
  'constraint-missing-not-valid': ['AW107', 'AW108'],
  'disallowed-unique-constraint': ['AW108'],
  'adding-primary-key-constraint': ['AW108'],
  'adding-serial-primary-key-field': ['AW108'],
  'renaming-column': ['AW205'],
  'renaming-table': ['AW205'],
  'adding-field-with-default': ['AW109'],
  'ban-concurrent-index-creation-in-transaction': ['AW105'],
  'require-timeout-settings': ['AW110'],
  'require-lock-timeout': ['AW110'],
  'require-statement-timeout': ['AW110'],
};
const isStyle = (rule) => rule.startsWith('prefer-') || rule === 'ban-char-field';

const TIMEOUT_RULES = new Set(['require-timeout-settings', 'require-lock-timeout', 'require-statement-timeout']);

/**
 * Why a Squawk finding has no counterpart, when the revision itself shows it: the statement's table
 * is created (nothing to lock) or dropped (its lock is taken anyway) by the same revision, or the
 * rule is the lock_timeout one (AW110, branch lintdialect), or the statement holds a stand-in's value.
 * Undefined: a gap to review by hand.
 */
function knownReason(rule, statement, sqlText, pythonSource) {
  if (TIMEOUT_RULES.has(rule)) return 'AW110 (lock_timeout), not merged yet';
  if (statement.includes('MagicMock')) return 'a stand-in value, not SQL the project runs';
  const createdHere = (table) => new RegExp(`CREATE TABLE (IF NOT EXISTS )?"?${table}"?\\s*\\(`, 'i').test(sqlText);
  const droppedHere = (table) => new RegExp(`DROP TABLE (IF EXISTS )?"?${table}"?\\s*;`, 'i').test(sqlText);
  const onTable = /(?:ALTER TABLE|\bON)\s+"?(\w+)"?/i.exec(statement);
  if (onTable && createdHere(onTable[1])) return `table ${onTable[1]} is created by this revision`;
  const droppedIndex = /DROP INDEX (?:CONCURRENTLY )?(?:IF EXISTS )?"?(\w+)"?/i.exec(statement);
  if (droppedIndex) {
    const call = new RegExp(`drop_index\\(\\s*(?:op\\.f\\()?\\s*["']${droppedIndex[1]}["'][\\s\\S]{0,120}?table_name\\s*=\\s*["'](\\w+)["']`).exec(pythonSource);
    if (call && droppedHere(call[1])) return `index of table ${call[1]}, which this revision drops`;
  }
  return undefined;
}

/** Versions folders of each project: the example, then every versions/ folder of ../shared/realworld (Neutron's nested release folders included). */
function projects() {
  const list = [{ name: 'example (meeting-assistant)', folders: [path.join(REPO, 'examples', 'meeting-assistant', 'backend', 'alembic', 'versions')], example: true }];
  const walk = (folder, found) => {
    for (const name of readdirSync(folder).sort()) {
      const full = path.join(folder, name);
      if (name.startsWith('.') || name === '__pycache__' || !statSync(full).isDirectory()) continue;
      if (name === 'versions') found.push(full);
      else walk(full, found);
    }
    return found;
  };
  for (const versions of walk(REALWORLD, [])) {
    const folders = [];
    const withRevisions = (folder) => {
      if (readdirSync(folder).some((name) => name.endsWith('.py') && name !== '__init__.py')) folders.push(folder);
      for (const name of readdirSync(folder).sort()) {
        const full = path.join(folder, name);
        if (name !== '__pycache__' && statSync(full).isDirectory()) withRevisions(full);
      }
    };
    withRevisions(versions);
    list.push({ name: path.relative(REALWORLD, versions), folders });
  }
  return list;
}

function alembicPython() {
  if (process.env.ALEMBIC_PYTHON) return process.env.ALEMBIC_PYTHON;
  const alembic = execFileSync('which', ['alembic'], { encoding: 'utf8' }).trim();
  const shebang = readFileSync(alembic, 'utf8').split('\n')[0];
  return shebang.replace(/^#!\s*/, '').trim();
}

function squawk(files) {
  const [command, ...prefix] = process.env.SQUAWK ? [process.env.SQUAWK] : ['npx', '--yes', `squawk-cli@${SQUAWK_VERSION}`];
  const run = spawnSync(command, [...prefix, '--reporter', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`squawk exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout || '[]');
}

/** Line ranges of downgrade() (and what follows it up to the next top-level def): Squawk sees upgrades only. */
function downgradeLines(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const inDowngrade = new Set();
  let inside = false;
  lines.forEach((line, index) => {
    if (/^(async\s+)?def\s/.test(line)) inside = /^def downgrade\b/.test(line);
    if (inside) inDowngrade.add(index + 1);
  });
  return inDowngrade;
}

/** Our findings per absolute revision file: the committed snapshot for realworld, the CLI for the example. */
function ourFindings(example) {
  const byFile = new Map();
  const add = (file, line, code) => {
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file).push({ line, code });
  };
  for (const entry of readFileSync(SNAPSHOT, 'utf8').split('\n').filter(Boolean)) {
    const match = /^(.*):(\d+) (AW\d+) /.exec(entry);
    if (match) add(path.join(REALWORLD, match[1]), Number(match[2]), match[3]);
  }
  const backend = path.dirname(path.dirname(example.folders[0]));
  const run = spawnSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), 'lint', '--format', 'json'], { cwd: backend, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`our lint of the example exited ${run.status}: ${run.stderr}`);
  for (const finding of JSON.parse(run.stdout)) add(path.resolve(backend, finding.file), finding.line, finding.code);
  return byFile;
}

function main() {
  const all = projects();
  const ours = ourFindings(all[0]);
  const python = alembicPython();
  const work = mkdtempSync(path.join(tmpdir(), 'aw-squawk-'));
  const totals = new Map(); // squawk rule -> {flagged, matched}
  const gaps = [];
  const report = [];
  try {
    for (const project of all) {
      const out = path.join(work, String(all.indexOf(project)));
      const render = spawnSync(python, [path.join(REPO, 'scripts', 'lib', 'render_offline_sql.py'), out, ...project.folders], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (render.status !== 0) throw new Error(`rendering ${project.name} failed: ${render.stderr}`);
      const revisions = render.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
      const rendered = revisions.filter((r) => r.sql);
      const failed = revisions.filter((r) => r.error);
      const reasons = new Map();
      for (const r of failed) reasons.set(r.error.slice(0, 70), (reasons.get(r.error.slice(0, 70)) ?? 0) + 1);
      report.push(`- **${project.name}**: ${rendered.length} of ${revisions.length} revisions rendered offline` +
        (failed.length ? ` (not rendered: ${[...reasons].map(([why, n]) => `${n} × ${why}`).join('; ')})` : ''));
      if (!rendered.length) continue;
            const violations = squawk(rendered.map((r) => r.sql)).filter((v) => !isStyle(v.rule_name));
      for (const revision of rendered) {
        const mine = violations.filter((v) => path.resolve(v.file) === path.resolve(revision.sql));
        if (!mine.length) continue;
        const skip = downgradeLines(revision.path);
        const ourCodes = (ours.get(revision.path) ?? []).filter((f) => !skip.has(f.line)).map((f) => f.code);
        const sql = readFileSync(revision.sql, 'utf8').split('\n');
        const used = new Map();
        for (const v of mine) {
          const codes = SAME_RISK[v.rule_name] ?? [];
          const total = totals.get(v.rule_name) ?? { flagged: 0, matched: 0 };
          total.flagged += 1;
          totals.set(v.rule_name, total);
          // Squawk's lines count from 0.
          const statement = sql.slice(v.line, (v.line_end ?? v.line) + 1).join(' ').replace(/\s+/g, ' ').trim();
          const reason =
            knownReason(v.rule_name, statement, sql.join('\n'), readFileSync(revision.path, 'utf8')) ??
            // We report a loop or several indexes of one table once; Squawk reports every statement.
            (ourCodes.some((c) => codes.includes(c)) && ourCodes.filter((c) => codes.includes(c)).length <= (used.get(v.rule_name) ?? 0)
              ? 'we report this kind in this revision, once per call or per table'
              : undefined);
          // One of our findings answers one Squawk finding of the same kind in the same revision;
          // a finding the revision itself explains never takes one.
          const available = ourCodes.filter((c) => codes.includes(c)).length - (used.get(v.rule_name) ?? 0);
          if (!reason && available > 0) {
            total.matched += 1;
            used.set(v.rule_name, (used.get(v.rule_name) ?? 0) + 1);
          } else {
            gaps.push({ project: project.name, revision: path.basename(revision.path), rule: v.rule_name, statement: statement.slice(0, 160), mapped: codes.join('/') || 'none', reason });
          }
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const lines = ['## Rendered', '', ...report, '', '## Squawk safety findings and ours', '', '| Squawk rule | flagged | we report the same risk | ours |', '|---|---|---|---|'];
  for (const [rule, t] of [...totals].sort()) lines.push(`| ${rule} | ${t.flagged} | ${t.matched} | ${(SAME_RISK[rule] ?? ['none']).join(', ')} |`);
  const explained = new Map();
  for (const g of gaps.filter((gap) => gap.reason)) {
    const key = `${g.rule}: ${g.reason.replace(/^(table|index of table) \w+/, '$1 <t>')}`;
    explained.set(key, (explained.get(key) ?? 0) + 1);
  }
  const open = gaps.filter((g) => !g.reason);
  lines.push('', `## Not matched, explained by the revision itself (${gaps.length - open.length})`, '');
  for (const [key, count] of [...explained].sort()) lines.push(`- ${count} × ${key}`);
  lines.push('', `## Not matched, to review (${open.length})`, '', '| project | revision | Squawk rule | statement | our rule |', '|---|---|---|---|---|');
  for (const g of open) lines.push(`| ${g.project} | ${g.revision} | ${g.rule} | \`${g.statement.replace(/\|/g, '\\|')}\` | ${g.mapped} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (!existsSync(path.join(REPO, 'dist', 'cli.js'))) {
  process.stderr.write('dist/cli.js is missing: run `npm run build` first.\n');
  process.exitCode = 1;
} else {
  main();
}
