// Go to definition and find references over revision ids: which id is under the cursor, where the
// revision it names is defined (its `revision = '...'`), and every place that names it (children's
// `down_revision` and "Revises:" lines, dependents' `depends_on`, by id or by one of its branch
// labels). Files open in the editor are read from their current text (`currentFile`), not from
// disk, so positions match what the user sees before saving.
import type { SourcePosition, SourceRange } from '../python/pythonSource';
import type { TextEdit } from '../lint/findings';
import type { ReferenceKind, RevisionFile, RevisionReference } from './revisionFile';
import type { RevisionGraph, RevisionNode } from './revisionGraph';

export interface NavigationSite {
  filePath: string;
  range: SourceRange;
  kind: ReferenceKind;
  /** The id or label as written there. */
  id: string;
}

/** The parsed current text of an open file, or undefined to use the project's (disk) copy. */
export type CurrentFile = (filePath: string) => RevisionFile | undefined;

function contains(range: SourceRange, position: SourcePosition): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.column >= range.start.column);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.column <= range.end.column);
  return afterStart && beforeEnd;
}

/** The revision id or branch label written at a position (inside or at either edge of it). */
export function referenceAt(file: RevisionFile, position: SourcePosition): RevisionReference | undefined {
  return file.references.find((reference) => contains(reference.range, position));
}

/** The revision an id or branch label names (a label names the revision that declares it). */
export function revisionNamed(graph: RevisionGraph, idOrLabel: string): RevisionNode | undefined {
  return graph.get(idOrLabel) ?? graph.get(graph.branchLabelOwners.get(idOrLabel) ?? '');
}

function fileOf(node: RevisionNode, currentFile?: CurrentFile): RevisionFile {
  return currentFile?.(node.file.filePath) ?? node.file;
}

/** Where a revision is defined: the id in its `revision = '...'` (the label, for a branch label). */
export function findDefinition(graph: RevisionGraph, idOrLabel: string, currentFile?: CurrentFile): NavigationSite | undefined {
  const node = revisionNamed(graph, idOrLabel);
  if (!node) return undefined;
  const file = fileOf(node, currentFile);
  const kind: ReferenceKind = graph.has(idOrLabel) ? 'revision' : 'branch_label';
  const reference =
    file.references.find((candidate) => candidate.kind === kind && candidate.id === idOrLabel) ??
    file.references.find((candidate) => candidate.kind === 'revision' && candidate.id === node.id);
  const range = reference?.range ?? { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
  return { filePath: file.filePath, range, kind: reference?.kind ?? 'revision', id: reference?.id ?? node.id };
}

const NAMING_KINDS: ReadonlySet<ReferenceKind> = new Set(['down_revision', 'depends_on', 'docstring_revises']);

/**
 * Every place that names a revision: its children (`down_revision`, "Revises:") and dependents
 * (`depends_on`, by id or by one of its own branch labels), plus its own definition when asked.
 * Sorted by file, then position.
 */
export function findReferences(
  graph: RevisionGraph,
  idOrLabel: string,
  options: { includeDeclaration?: boolean; currentFile?: CurrentFile } = {},
): NavigationSite[] {
  const node = revisionNamed(graph, idOrLabel);
  if (!node) return [];
  const names = new Set([node.id, ...node.ownBranchLabels]);
  const sites: NavigationSite[] = [];
  const seen = new Set<string>();
  const visit = (other: RevisionNode) => {
    const file = fileOf(other, options.currentFile);
    if (seen.has(file.filePath)) return;
    seen.add(file.filePath);
    for (const reference of file.references) {
      if (!names.has(reference.id)) continue;
      const declaration = other === node && (reference.kind === 'revision' || reference.kind === 'branch_label' || reference.kind === 'docstring_revision_id');
      if (declaration ? options.includeDeclaration : NAMING_KINDS.has(reference.kind)) {
        sites.push({ filePath: file.filePath, range: reference.range, kind: reference.kind, id: reference.id });
      }
    }
  };
  visit(node);
  for (const child of graph.childrenOf(node.id)) visit(child);
  for (const dependent of graph.dependentsOf(node.id)) visit(dependent);
  // A child whose header is being edited may name the revision only in the current text.
  for (const other of graph.revisions()) {
    if (seen.has(other.file.filePath)) continue;
    const current = options.currentFile?.(other.file.filePath);
    if (current && current.references.some((reference) => names.has(reference.id) && NAMING_KINDS.has(reference.kind))) visit(other);
  }
  return sites.sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
}

/** An id we can write between quotes in a revision file without escaping anything. */
const WRITABLE_ID = /^[^'"\\\r\n]+$/;

/**
 * Edits that make a file name `replacement` wherever it names `missing` (down_revision, depends_on,
 * the "Revises:" line): how the Revision Graph re-points a dangling reference. Empty when the
 * file does not name `missing`.
 */
export function repointEdits(file: RevisionFile, missing: string, replacement: string): TextEdit[] {
  if (!WRITABLE_ID.test(replacement)) throw new Error(`Can't write the revision id ${JSON.stringify(replacement)} into a file.`);
  return file.references.filter((reference) => reference.id === missing && NAMING_KINDS.has(reference.kind)).map((reference) => ({ range: reference.range, newText: replacement }));
}
