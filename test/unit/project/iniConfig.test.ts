import assert from 'node:assert/strict';
import { IniError, parseIni } from '../../../src/core/project/iniConfig';

// Behaviour checked against Python 3.11's configparser (the parity suite re-checks it live).
describe('parseIni (configparser as Alembic uses it)', () => {
  it('keeps inline comments as part of the value, as configparser does by default', () => {
    const ini = parseIni('[alembic]\nversion_path_separator = os  # Use os.pathsep.\nother = a ; b\n');
    assert.equal(ini.get('alembic', 'version_path_separator'), 'os  # Use os.pathsep.');
    assert.equal(ini.get('alembic', 'other'), 'a ; b');
  });

  it('skips whole-line comments, even indented ones inside a multi-line value', () => {
    const ini = parseIni('[alembic]\n# comment\n; another\nmulti = first\n   second\n   # not part of it\n\n   third\n\nnext = 1\n');
    assert.equal(ini.get('alembic', 'multi'), 'first\nsecond\n\nthird');
    assert.equal(ini.get('alembic', 'next'), '1');
  });

  it('interpolates %(here)s, DEFAULT values and %%, lazily and case-insensitively', () => {
    const ini = parseIni('[DEFAULT]\nBase = /srv\n[alembic]\nScript_Location = %(here)s/alembic\nfile_template = %%(rev)s_%%(slug)s\nx = %(BASE)s/x\nurl = postgresql://u:p%%40@h/db\n', {
      defaults: { here: '/project' },
    });
    assert.equal(ini.get('alembic', 'script_location'), '/project/alembic');
    assert.equal(ini.get('alembic', 'SCRIPT_LOCATION'), '/project/alembic', 'option names are case-insensitive');
    assert.equal(ini.get('alembic', 'file_template'), '%(rev)s_%(slug)s');
    assert.equal(ini.get('alembic', 'x'), '/srv/x');
    assert.equal(ini.get('alembic', 'url'), 'postgresql://u:p%40@h/db');
    assert.equal(ini.get('alembic', 'file_template', { raw: true }), '%%(rev)s_%%(slug)s');
    assert.deepEqual(ini.items('alembic').map(([name]) => name), ['here', 'base', 'script_location', 'file_template', 'x', 'url']);
  });

  it('keeps section names case-sensitive and accepts ":" as a delimiter', () => {
    const ini = parseIni('[alembic]\na = 1\n[Alembic]\nb : 2\n');
    assert.deepEqual(ini.sectionNames(), ['alembic', 'Alembic']);
    assert.equal(ini.get('Alembic', 'b'), '2');
    assert.equal(ini.get('alembic', 'b'), undefined);
  });

  it('raises interpolation errors where configparser does', () => {
    const ini = parseIni('[alembic]\nbad = 100%\nmissing = %(nope)s\nloop = %(loop)s\nbadref = %(x)d\n');
    assert.throws(() => ini.get('alembic', 'bad'), (error: IniError) => error.kind === 'interpolation-syntax');
    assert.throws(() => ini.get('alembic', 'missing'), (error: IniError) => error.kind === 'interpolation-missing-option' && /'nope'/.test(error.message));
    assert.throws(() => ini.get('alembic', 'loop'), (error: IniError) => error.kind === 'interpolation-depth');
    assert.throws(() => ini.get('alembic', 'badref'), (error: IniError) => error.kind === 'interpolation-syntax');
  });

  it('records what configparser would refuse: no section header, a BOM, duplicates, junk lines', () => {
    assert.equal(parseIni('key = value\n[alembic]\n').errors[0].kind, 'missing-section-header');
    const bom = parseIni('\ufeff[alembic]\nscript_location = x\n');
    assert.equal(bom.errors[0].kind, 'missing-section-header');
    assert.match(bom.errors[0].message, /byte order mark/);
    assert.equal(bom.hasSection('alembic'), false);
    const duplicates = parseIni('[alembic]\na = 1\na = 2\n[alembic]\nb = 3\n');
    assert.deepEqual(duplicates.errors.map((error) => [error.kind, error.line]), [
      ['duplicate-option', 2],
      ['duplicate-section', 3],
    ]);
    const junk = parseIni('[alembic]\nthis line has no delimiter\n');
    assert.equal(junk.errors[0].kind, 'parse-error');
  });

  it('treats CR, LF and CRLF line ends alike', () => {
    const ini = parseIni('[alembic]\r\na = 1\rb = 2\nc = 3\r\n');
    assert.deepEqual([ini.get('alembic', 'a'), ini.get('alembic', 'b'), ini.get('alembic', 'c')], ['1', '2', '3']);
    assert.equal(ini.option('alembic', 'c')?.line, 3);
  });
});
