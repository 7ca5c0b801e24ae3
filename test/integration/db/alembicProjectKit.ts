// A small Alembic project made by the real Alembic 1.8.1 in a temp folder, with a branch point,
// two branches (one labelled), their merge, and a second root that depends_on a branch revision:
//
//   aaaa00000001 -> bbbb00000002 -> cccc00000003 -+-> dddd00000004 (feature) -+-> ffff00000006 (merge)
//                                                 +-> eeee00000005 -----------+
//   xxxx00000007 (reports, new root) depends_on dddd00000004
//
// The graph is read back through Alembic's own Python API, so tests compare against Alembic's view.
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { graphViewFromRevisions, type RevisionGraphView } from '../../../src/core/db/databaseState';
import { realAlembicOk, runRealAlembic, type AlembicRun } from '../../support/realAlembic';

export const REV = {
  a: 'aaaa00000001',
  b: 'bbbb00000002',
  c: 'cccc00000003',
  d: 'dddd00000004',
  e: 'eeee00000005',
  merge: 'ffff00000006',
  reports: 'xxxx00000007',
} as const;

export interface GeneratedProject {
  directory: string;
  iniFile: string;
  graph: RevisionGraphView;
  alembic(args: string[]): AlembicRun;
  alembicOk(args: string[]): AlembicRun;
}

export interface ProjectOptions {
  sqlalchemyUrl: string;
  versionTable?: string;
  versionTableSchema?: string;
}

export function generateBranchedProject(options: ProjectOptions): GeneratedProject {
  const directory = mkdtempSync(path.join(tmpdir(), 'aw-db-project-'));
  realAlembicOk(directory, ['init', 'alembic']);
  const iniFile = path.join(directory, 'alembic.ini');
  // configparser interpolation: a literal % in the URL must be written %%.
  const ini = readFileSync(iniFile, 'utf8').replace(
    /^sqlalchemy\.url = .*$/m,
    `sqlalchemy.url = ${options.sqlalchemyUrl.replace(/%/g, '%%')}`,
  );
  writeFileSync(iniFile, ini);
  if (options.versionTable || options.versionTableSchema) {
    const envFile = path.join(directory, 'alembic', 'env.py');
    const extra = [
      options.versionTable ? `version_table=${JSON.stringify(options.versionTable)}` : '',
      options.versionTableSchema ? `version_table_schema=${JSON.stringify(options.versionTableSchema)}` : '',
    ].filter(Boolean).join(', ');
    writeFileSync(envFile, readFileSync(envFile, 'utf8').replace(/target_metadata=target_metadata/g, `target_metadata=target_metadata, ${extra}`));
  }
  const ok = (args: string[]) => realAlembicOk(directory, args);
  ok(['revision', '-m', 'create users', '--rev-id', REV.a]);
  ok(['revision', '-m', 'create meetings', '--rev-id', REV.b]);
  ok(['revision', '-m', 'add meeting status', '--rev-id', REV.c]);
  ok(['revision', '-m', 'add tags', '--rev-id', REV.d, '--head', REV.c, '--branch-label', 'feature']);
  ok(['revision', '-m', 'add recording url', '--rev-id', REV.e, '--head', REV.c, '--splice']);
  ok(['merge', '-m', 'merge tags and recording', '--rev-id', REV.merge, REV.d, REV.e]);
  ok(['revision', '-m', 'reports schema', '--rev-id', REV.reports, '--head', 'base', '--branch-label', 'reports', '--depends-on', REV.d]);
  return {
    directory,
    iniFile,
    graph: graphFromAlembic(iniFile),
    alembic: (args) => runRealAlembic(directory, args),
    alembicOk: ok,
  };
}

/** The revision graph as Alembic's ScriptDirectory sees it (parents, resolved depends_on). */
export function graphFromAlembic(iniFile: string): RevisionGraphView {
  const script = `
import json, sys
from alembic.config import Config
from alembic.script import ScriptDirectory
script = ScriptDirectory.from_config(Config(sys.argv[1]))
revisions = [
    {"id": rev.revision, "parents": list(rev._versioned_down_revisions), "dependencies": list(rev._resolved_dependencies)}
    for rev in script.walk_revisions()
]
print(json.dumps({"revisions": revisions[::-1], "heads": list(script.get_heads())}))
`;
  const result = spawnSync('/usr/bin/python3', ['-c', script, iniFile], { encoding: 'utf8', cwd: path.dirname(iniFile) });
  if (result.status !== 0) throw new Error(`reading the graph with Alembic failed:\n${result.stderr}`);
  const { revisions, heads } = JSON.parse(result.stdout) as { revisions: Array<{ id: string; parents: string[]; dependencies: string[] }>; heads: string[] };
  const view = graphViewFromRevisions(revisions);
  if ([...view.heads].sort().join() !== [...heads].sort().join()) {
    throw new Error(`heads differ from Alembic's: ${view.heads.join(',')} vs ${heads.join(',')}`);
  }
  return view;
}

/** The revisions a real `alembic upgrade heads` applied, from its log lines. */
export function upgradedRevisions(run: AlembicRun): string[] {
  return [...run.stderr.matchAll(/Running upgrade .*? -> (\S+?), /g)].map((match) => match[1]!).sort();
}
