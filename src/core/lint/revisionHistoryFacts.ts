// What earlier revisions of the history left in the schema, for rules that would otherwise call an
// object missing (AW305: an Enum type created by an earlier revision). The CLI and the editor both
// ask it: the CLI builds it from the files it read, the editor from its project's revision graph
// (with a cache, since it asks on every lint).
import { readFileSync, statSync } from 'node:fs';
import { fileStamp } from '../project/headerCache';
import { parseRevisionFile } from '../revisions/revisionFile';
import { RevisionGraph } from '../revisions/revisionGraph';
import type { DowngradePolicy } from './lintConfig';
import { createdEnumTypes, MigrationAnalysis } from './migrationAnalysis';
import { extractMigration } from './migrationOperations';

/** Fewer revisions than this show no policy: a young project may simply not have written one yet. */
const MIN_REVISIONS_FOR_A_POLICY = 10;

export interface RevisionSource {
  filePath: string;
  source: string;
}

/** A revision file as the graph knows it (a RevisionFile has these). */
export interface HistoryFile {
  filePath: string;
  revision?: string;
}

/** Enum type names an upgrade creates; most files never mention a type and are skipped without a parse. */
export function enumTypesCreatedBy(source: string): string[] {
  if (!/\b(Enum|ENUM|create_type|CREATE\s+TYPE)\b/.test(source)) return [];
  try {
    return createdEnumTypes(new MigrationAnalysis(extractMigration(source)));
  } catch {
    // Too deep to read: it creates nothing we can see (its own lint says why).
    return [];
  }
}

export class RevisionHistoryFacts {
  private readonly revisionOf = new Map<string, string>();
  private readonly fileOf = new Map<string, string>();

  /** `enumTypesOf(filePath)` is asked only for the ancestors of the files looked up. */
  constructor(
    private readonly graph: RevisionGraph,
    files: readonly HistoryFile[],
    private readonly enumTypesOf: (filePath: string) => readonly string[],
  ) {
    for (const file of files) {
      if (file.revision === undefined) continue;
      this.revisionOf.set(file.filePath, file.revision);
      if (!this.fileOf.has(file.revision)) this.fileOf.set(file.revision, file.filePath);
    }
  }

  /** From the files' sources alone: their headers give the graph, their upgrades the created types. */
  static fromSources(files: readonly RevisionSource[]): RevisionHistoryFacts {
    const parsed = files.map((file) => parseRevisionFile(file.source, file.filePath));
    const sources = new Map(files.map((file) => [file.filePath, file.source]));
    return new RevisionHistoryFacts(RevisionGraph.build(parsed), parsed, (filePath) => enumTypesCreatedBy(sources.get(filePath) ?? ''));
  }

  /** Enum types created by the ancestors (down_revision and depends_on, transitively) of a file's revision. */
  enumTypesBefore(filePath: string): Set<string> {
    const types = new Set<string>();
    const revision = this.revisionOf.get(filePath);
    if (revision === undefined || !this.graph.has(revision)) return types;
    for (const ancestor of this.graph.ancestorsOf([revision], { includeDependencies: true })) {
      const file = ancestor === revision ? undefined : this.fileOf.get(ancestor);
      if (file === undefined) continue;
      for (const name of this.enumTypesOf(file)) types.add(name);
    }
    return types;
  }
}

/** The Enum types each revision file on disk creates, read again only when the file changed. */
export class CreatedEnumTypesCache {
  private readonly entries = new Map<string, { stamp: string; types: string[] }>();

  typesOf(filePath: string): string[] {
    let stamp: string;
    try {
      stamp = fileStamp(statSync(filePath)).join(':');
    } catch {
      this.entries.delete(filePath);
      return [];
    }
    const cached = this.entries.get(filePath);
    if (cached && cached.stamp === stamp) return cached.types;
    let types: string[];
    try {
      types = enumTypesCreatedBy(readFileSync(filePath, 'utf8'));
    } catch {
      types = [];
    }
    this.entries.set(filePath, { stamp, types });
    return types;
  }
}

/** The history of a loaded project (the editor's model: its graph and files), reading created types through `cache`. */
export function projectHistoryFacts(project: { graph: RevisionGraph; files: readonly HistoryFile[] }, cache: CreatedEnumTypesCache): RevisionHistoryFacts {
  return new RevisionHistoryFacts(project.graph, project.files, (filePath) => cache.typesOf(filePath));
}

/**
 * The downgrade policy the history itself shows: "none" when (nearly) no revision has a downgrade()
 * (Neutron's documented policy), so a missing one is the convention, not a per-file error.
 */
export function learnedDowngradePolicy(files: readonly RevisionSource[]): { policy: DowngradePolicy; revisions: number; withDowngrade: number } | undefined {
  const revisions = files.filter((file) => parseRevisionFile(file.source, file.filePath).revision !== undefined).length;
  const withDowngrade = files.filter((file) => /^def\s+downgrade\s*\(/m.test(file.source)).length;
  if (revisions < MIN_REVISIONS_FOR_A_POLICY || withDowngrade > revisions * 0.05) return undefined;
  return { policy: 'none', revisions, withDowngrade };
}
