// The .ini reader against Python 3.11's configparser (what Alembic uses), and revision file names
// against Alembic's own `ScriptDirectory._rev_path`, on hand-picked edge cases plus hundreds of
// generated ones. Python runs once per suite with every case in one batch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { IniDocument, IniErrorKind, parseIni } from '../../../src/core/project/iniConfig';
import { renderFileName, templateValues } from '../../../src/core/revisions/fileTemplate';
import { PYTHON } from './support/alembicBatch';
import { seededRandom as seeded } from '../../support/seededRandom';

function runPython<T>(script: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: process.env.TZ ?? 'UTC' } });
  if (result.status !== 0) throw new Error(`python failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

const CONFIGPARSER_DUMP = `
import configparser, json, sys
ERRORS = {
    configparser.MissingSectionHeaderError: "missing-section-header",
    configparser.DuplicateSectionError: "duplicate-section",
    configparser.DuplicateOptionError: "duplicate-option",
    configparser.ParsingError: "parse-error",
    configparser.InterpolationSyntaxError: "interpolation-syntax",
    configparser.InterpolationMissingOptionError: "interpolation-missing-option",
    configparser.InterpolationDepthError: "interpolation-depth",
}
def kind(error):
    for cls, name in ERRORS.items():
        if type(error) is cls:
            return name
    return type(error).__name__
import os, tempfile
out = []
folder = tempfile.mkdtemp()
for index, text in enumerate(json.load(sys.stdin)):
    # Alembic reads the file (universal newlines), not a string.
    path = os.path.join(folder, "case%d.ini" % index)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    parser = configparser.ConfigParser({"here": "/project/here"})
    try:
        parser.read([path])
    except Exception as error:
        out.append({"error": kind(error)})
        continue
    sections = {}
    for name in ["DEFAULT"] + parser.sections():
        options = {}
        keys = list(parser.defaults().keys()) if name == "DEFAULT" else list(parser[name].keys())
        for key in keys:
            try:
                options[key] = {"value": parser.get(name, key)}
            except Exception as error:
                options[key] = {"error": kind(error)}
        sections[name] = options
    out.append({"sections": sections, "order": parser.sections()})
import shutil
shutil.rmtree(folder)
print(json.dumps(out))
`;

type PythonIni = { error: string } | { sections: Record<string, Record<string, { value: string } | { error: string }>>; order: string[] };

const IMMEDIATE: IniErrorKind[] = ['missing-section-header', 'duplicate-section', 'duplicate-option'];

/** The exception configparser would raise while reading (it stops at the first "immediate" one). */
function wouldRaise(document: IniDocument): IniErrorKind | undefined {
  const immediate = document.errors.find((error) => IMMEDIATE.includes(error.kind));
  if (immediate) return immediate.kind;
  return document.errors.length > 0 ? 'parse-error' : undefined;
}

function ours(text: string): PythonIni {
  const document = parseIni(text, { defaults: { here: '/project/here' } });
  const raised = wouldRaise(document);
  if (raised) return { error: raised };
  const sections: Record<string, Record<string, { value: string } | { error: string }>> = {};
  for (const name of ['DEFAULT', ...document.sectionNames()]) {
    const options: Record<string, { value: string } | { error: string }> = {};
    const keys = name === 'DEFAULT' ? [...document.defaults.keys()] : [...new Set([...(document.sections.get(name)?.options.keys() ?? []), ...document.defaults.keys()])];
    for (const key of keys) {
      try {
        options[key] = { value: document.get(name, key) as string };
      } catch (error) {
        options[key] = { error: (error as { kind: string }).kind };
      }
    }
    sections[name] = options;
  }
  return { sections, order: document.sectionNames() };
}


const HAND_PICKED = [
  '[alembic]\nscript_location = %(here)s/alembic\nversion_path_separator = os  # Use os.pathsep. Default configuration used for new projects.\n',
  '[alembic]\nfile_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s\n',
  '[alembic]\nmulti = one\n  two\n\n  # comment inside\n  three\n\n\nafter = x\n',
  '[DEFAULT]\nhere = /override\nbase = %(here)s/b\n[alembic]\nx = %(base)s\n',
  '[alembic]\nurl = postgresql://u:p%%40ss@h/db\nbad = 50%\n',
  '[alembic]\na = %(b)s\nb = %(a)s\n',
  '[alembic]\nKey = v\n[Alembic]\nkey = w\n',
  '\ufeff[alembic]\nx = 1\n',
  'x = 1\n[alembic]\n',
  '[alembic]\nx = 1\nx = 2\n',
  '[alembic]\n[alembic]\n',
  '[alembic]\njust words\nx = 1\n',
  '[alembic]\r\nx = 1\r\n  continued\r\ny: 2\r\n',
  '[alembic]\nx = 1\r  cr continued\ry = 2\r',
  '[alembic] trailing\nx=1\n[ spaced ]\ny=2\n[a]b]\nz=3\n',
  '[alembic]\n   indented = 1\nx = %(indented)s\n',
  '[alembic]\nempty =\nonly_colon :\n= novalue\n',
  '[alembic]\nsqlalchemy.url = driver://user:pass@localhost/dbname\nkeys = root,sqlalchemy,alembic\n',
  '[formatter_generic]\nformat = %(levelname)-5.5s [%(name)s] %(message)s\n',
  '[alembic]\nx = \t tabs \t \n\ty = 2\n',
  '',
  '# only comments\n; and more\n',
];

const LINE_POOL = [
  '[alembic]',
  '[DEFAULT]',
  '[Alembic]',
  '[post_write_hooks]',
  'script_location = %(here)s/alembic',
  'version_locations = %(here)s/a %(here)s/b',
  'file_template = %%(rev)s_%%(slug)s',
  'x = %(here)s',
  'y : plain value',
  'z=%(x)s/%(y)s',
  'Mixed_Case = 1',
  'pct = 100%%',
  'badpct = 5%',
  'missing = %(nope)s',
  '  continued line',
  '\tcontinued with tab',
  '',
  '# comment',
  '; comment',
  '   # indented comment',
  'value = a # not a comment',
  'no delimiter here',
  'dup = 1',
  'dup = 2',
  'k = v\\',
  '    = weird',
];

describe('configuration parity with Python', function () {
  this.timeout(60_000);

  it('reads .ini text exactly as configparser does (hand-picked cases and 400 generated ones)', () => {
    const next = seeded(1125);
    const generated: string[] = [];
    for (let index = 0; index < 400; index++) {
      const lines: string[] = [];
      for (let count = 1 + Math.floor(next() * 12); count > 0; count--) lines.push(LINE_POOL[Math.floor(next() * LINE_POOL.length)]);
      const newline = ['\n', '\r\n', '\r'][Math.floor(next() * 3)];
      generated.push(lines.join(newline) + (next() < 0.7 ? newline : ''));
    }
    const texts = [...HAND_PICKED, ...generated];
    const expected = runPython<PythonIni[]>(CONFIGPARSER_DUMP, texts);
    // The generated cases must exercise both paths: files configparser reads and files it rejects.
    const rejected = expected.filter((result) => 'error' in result).length;
    assert.ok(rejected > 40 && rejected < texts.length - 40, `${rejected} of ${texts.length} rejected`);
    texts.forEach((text, index) => {
      assert.deepEqual(ours(text), expected[index], `case ${index}: ${JSON.stringify(text)}`);
    });
  });

  it('names revision files exactly as Alembic\'s _rev_path does', () => {
    const next = seeded(2024);
    const templates = [
      '%(rev)s_%(slug)s',
      '%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s',
      '%(epoch)s_%(rev)s_%(slug)s',
      '%(year)d%(month)02d%(day)02d_%(second)02d_%(rev)s',
      '%(rev)s',
      '%(slug).10s-%(rev)5s',
    ];
    const words = ['add', 'User', "user's", 'e-mail', 'café', '日本語', 'x²', 'rename_table', '(v2)', '  ', 'ALTER', 'índex', 'a1', '__init__', '.', 'ok!'];
    const cases: Array<{ template: string; message: string; rev: string; date: number[]; truncate: number | null }> = [];
    for (let index = 0; index < 300; index++) {
      const message = Array.from({ length: Math.floor(next() * 14) }, () => words[Math.floor(next() * words.length)]).join(next() < 0.5 ? ' ' : '_');
      cases.push({
        template: templates[index % templates.length],
        message,
        rev: Array.from({ length: 12 }, () => '0123456789abcdef'[Math.floor(next() * 16)]).join(''),
        date: [2020 + Math.floor(next() * 8), 1 + Math.floor(next() * 12), 1 + Math.floor(next() * 28), Math.floor(next() * 24), Math.floor(next() * 60), Math.floor(next() * 60)],
        truncate: [null, 0, 10, 25, 40, 60][index % 6],
      });
    }
    const script = `
import datetime, json, sys
from alembic.script.base import ScriptDirectory
out = []
for case in json.load(sys.stdin):
    directory = ScriptDirectory.__new__(ScriptDirectory)
    directory.file_template = case["template"]
    directory.truncate_slug_length = case["truncate"] or 40
    path = directory._rev_path("/v", case["rev"], case["message"], datetime.datetime(*case["date"]))
    out.append(path[len("/v/"):])
print(json.dumps(out))
`;
    const expected = runPython<string[]>(script, cases);
    cases.forEach((testCase, index) => {
      const [year, month, day, hour, minute, second] = testCase.date;
      const values = templateValues(testCase.rev, testCase.message, new Date(year, month - 1, day, hour, minute, second), testCase.truncate ?? 40);
      assert.equal(renderFileName(testCase.template, values), expected[index], `case ${index}: ${JSON.stringify(testCase)}`);
    });
  });
});
