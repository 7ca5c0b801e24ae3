// Messages state each dialect's own behaviour: what fails where, and no vague "may fail".
import assert from 'node:assert/strict';
import { findingFor, migration } from './lintTestKit';

const ADD_REQUIRED = migration(`op.add_column('meetings', sa.Column('room', sa.String(length=40), nullable=False))`, `op.drop_column('meetings', 'room')`);

describe('messages per dialect', () => {
  it('AW102: fails with rows on PostgreSQL, always on SQLite, fills implicit defaults on MySQL (a warning there)', () => {
    const postgres = findingFor(ADD_REQUIRED, 'AW102', { dialect: 'postgresql' });
    assert.match(postgres.message, /fails as soon as meetings has a row \("column contains null values"\)/);
    assert.equal(postgres.severity, 'error');
    const sqlite = findingFor(ADD_REQUIRED, 'AW102', { dialect: 'sqlite' });
    assert.match(sqlite.message, /fails on SQLite even on an empty table \("Cannot add a NOT NULL column with default value NULL"\)/);
    assert.doesNotMatch(sqlite.message, /PostgreSQL/);
    const mysql = findingFor(ADD_REQUIRED, 'AW102', { dialect: 'mysql' });
    assert.match(mysql.message, /succeeds on MySQL but fills the existing rows of meetings with the type's implicit default/);
    assert.doesNotMatch(mysql.message, /fails|PostgreSQL/);
    assert.equal(mysql.severity, 'warning');
  });

  it('AW101: INTEGER to FLOAT is a rewrite, not a change that "may fail"', () => {
    const source = migration(
      `op.alter_column('meetings', 'score', existing_type=sa.Integer(), type_=sa.Float())`,
      `op.alter_column('meetings', 'score', existing_type=sa.Float(), type_=sa.Integer())`,
    );
    const finding = findingFor(source, 'AW101', { dialect: 'postgresql' });
    assert.doesNotMatch(finding.message, /may fail/);
    assert.match(finding.message, /^Changing the type of meetings\.score from INTEGER to FLOAT rewrites meetings and its indexes/);
  });
});

describe('messages are one line', () => {
  it('AW305 names a multi-line Enum instead of pasting it (Neutron 2b42d90729da)', () => {
    const source = migration(
      `op.add_column('bw_limit_rules', sa.Column('direction', sa.Enum(
    'egress', 'ingress',
    name="directions"
), nullable=False, server_default='egress'))`,
      `op.drop_column('bw_limit_rules', 'direction')`,
    );
    const finding = findingFor(source, 'AW305', { dialect: 'postgresql' });
    assert.doesNotMatch(finding.message, /\n/);
    assert.match(finding.message, /Create it first: sa\.Enum\(\.\.\., name="directions"\)\.create\(op\.get_bind\(\), checkfirst=True\)/);
  });
});
