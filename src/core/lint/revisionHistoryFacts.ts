// What earlier revisions of the history left in the schema, for rules that would otherwise call an
// object missing (AW305: an Enum type created by an earlier revision). Built from the revision files
// themselves (their headers give the graph, their upgrades the created types), so it works for any
// set of files the caller lints, whatever alembic.ini says its version folders are.
import { createdEnumTypes, MigrationAnalysis } from './migrationAnalysis';
import type { DowngradePolicy } from './lintConfig';
import { extractMigration } from './migrationOperations';
import { parseRevisionFile } from '../revisions/revisionFile';
import { RevisionGraph } from '../revisions/revisionGraph';

/** Fewer revisions than this show no policy: a young project may simply not have written one yet. */
const MIN_REVISIONS_FOR_A_POLICY = 10;

export interface RevisionSource {
  filePath: string;
  source: string;
}

export class RevisionHistoryFacts {
  private readonly graph: RevisionGraph;
  private readonly revisionOf = new Map<string, string>();
  private readonly enumTypesOf = new Map<string, string[]>();
  private readonly withDowngrade: number;

  constructor(files: readonly RevisionSource[]) {
    const parsed = files.map((file) => parseRevisionFile(file.source, file.filePath));
    this.graph = RevisionGraph.build(parsed);
    this.withDowngrade = files.filter((file) => /^def\s+downgrade\s*\(/m.test(file.source)).length;
    files.forEach((file, index) => {
      const revision = parsed[index].revision;
      if (revision === undefined) return;
      this.revisionOf.set(file.filePath, revision);
      // Only files that mention a type can create one: most are skipped without a parse.
      if (!/\b(Enum|ENUM|create_type|CREATE\s+TYPE)\b/.test(file.source)) return;
      this.enumTypesOf.set(revision, createdEnumTypes(new MigrationAnalysis(extractMigration(file.source))));
    });
  }

  /** Enum types created by the ancestors (down_revision and depends_on, transitively) of a file's revision. */
  enumTypesBefore(filePath: string): Set<string> {
    const types = new Set<string>();
    const revision = this.revisionOf.get(filePath);
    if (revision === undefined || !this.graph.has(revision)) return types;
    for (const ancestor of this.graph.ancestorsOf([revision], { includeDependencies: true })) {
      if (ancestor === revision) continue;
      for (const name of this.enumTypesOf.get(ancestor) ?? []) types.add(name);
    }
    return types;
  }

  /**
   * The downgrade policy the history itself shows: "none" when (nearly) no revision has a downgrade()
   * (Neutron's documented policy), so a missing one is the convention, not a per-file error.
   */
  learnedDowngradePolicy(): { policy: DowngradePolicy; revisions: number; withDowngrade: number } | undefined {
    const revisions = this.revisionOf.size;
    if (revisions < MIN_REVISIONS_FOR_A_POLICY || this.withDowngrade > revisions * 0.05) return undefined;
    return { policy: 'none', revisions, withDowngrade: this.withDowngrade };
  }
}
