// Everything wrong with a revision history, as a list of problems with stable names, each tied to a
// file (and a range when there is one) so the editor can underline it and `check` can report it.
// Computing problems never throws: a broken file is one more problem, never a crash.
import path from 'node:path';
import type { SourceRange } from '../python/pythonSource';
import { checkFileName } from './fileTemplate';
import type { HeaderIssueCode, ReferenceKind, RevisionFile } from './revisionFile';
import type { RevisionGraph, RevisionNode } from './revisionGraph';

export type ProblemSeverity = 'error' | 'warning' | 'info';

export type GraphProblemName =
  | 'duplicate-revision'
  | 'dangling-reference'
  | 'revision-cycle'
  | 'missing-revision-id'
  | 'missing-down-revision'
  | 'invalid-revision-id'
  | 'invalid-header'
  | 'unreadable-header'
  | 'duplicate-branch-label'
  | 'multiple-heads'
  | 'filename-mismatch'
  | 'docstring-mismatch'
  | 'syntax-error'
  | 'config-error';

export interface GraphProblem {
  name: GraphProblemName;
  severity: ProblemSeverity;
  message: string;
  /** Absolute path of the file the problem is in (the config file for project-level problems). */
  file: string;
  range?: SourceRange;
  /** The revision the problem is about, when there is one. */
  revision?: string;
}

export interface GraphProblemOptions {
  /** The project's `file_template`; enables `filename-mismatch`. */
  fileTemplate?: string;
}

/**
 * Problems that make Alembic itself fail on every command (so `heads`/`history` refuse to answer
 * rather than print a history Alembic would not accept).
 */
export const BLOCKING_PROBLEMS: ReadonlySet<GraphProblemName> = new Set([
  'dangling-reference',
  'revision-cycle',
  'missing-revision-id',
  'missing-down-revision',
  'invalid-revision-id',
  'invalid-header',
  'duplicate-branch-label',
]);

function referenceRange(file: RevisionFile, kind: ReferenceKind, id: string): SourceRange | undefined {
  return file.references.find((reference) => reference.kind === kind && reference.id === id)?.range;
}

function revisionRange(file: RevisionFile): SourceRange | undefined {
  return file.revision === undefined ? undefined : referenceRange(file, 'revision', file.revision);
}

const HEADER_ISSUE_PROBLEMS: Record<HeaderIssueCode, { name: GraphProblemName; severity: ProblemSeverity }> = {
  'missing-revision': { name: 'missing-revision-id', severity: 'error' },
  'missing-down-revision': { name: 'missing-down-revision', severity: 'error' },
  'unreadable-value': { name: 'unreadable-header', severity: 'warning' },
  'wrong-type': { name: 'invalid-header', severity: 'error' },
  'invalid-revision-id': { name: 'invalid-revision-id', severity: 'error' },
};

function baseName(file: string): string {
  return path.basename(file);
}

export function findGraphProblems(graph: RevisionGraph, options: GraphProblemOptions = {}, scope: { blockingOnly?: boolean } = {}): GraphProblem[] {
  const problems: GraphProblem[] = [];

  for (const file of graph.files) {
    for (const issue of file.headerIssues) {
      const mapped = HEADER_ISSUE_PROBLEMS[issue.code];
      let message = issue.message;
      let severity = mapped.severity;
      if (issue.code === 'missing-revision') {
        const legacy = file.revision === undefined && graph.get(/^([a-f0-9]+)\.py$/.exec(baseName(file.filePath))?.[1] ?? '\u0000')?.file === file;
        if (legacy) {
          severity = 'warning';
          message = `no module-level 'revision' variable; Alembic falls back to the file name (the Alembic 0.1 convention). Declare revision = '${baseName(file.filePath).slice(0, -3)}'`;
        } else {
          message = `No module-level 'revision' variable, so this file is not part of the history. Alembic stops every command with "Could not determine revision id from filename ${baseName(file.filePath)}. Be sure the 'revision' variable is declared inside the script".`;
        }
      } else if (issue.code === 'unreadable-value' && issue.variable === 'revision') {
        message = `${issue.message}; this file is left out of the history`;
      }
      problems.push({ name: mapped.name, severity, message, file: file.filePath, range: issue.range, revision: file.revision });
    }
  }

  for (const [id, files] of graph.duplicates) {
    const names = files.map((file) => baseName(file.filePath));
    for (const file of files) {
      problems.push({
        name: 'duplicate-revision',
        severity: 'error',
        message: `Revision ${id} is defined in ${files.length} files (${names.join(', ')}). Alembic warns "Revision ${id} is present more than once", keeps ${names[names.length - 1]}, and \`alembic history\` fails. Give one of them a new id.`,
        file: file.filePath,
        range: revisionRange(file),
        revision: id,
      });
    }
  }

  for (const node of graph.revisions()) {
    for (const missing of node.missingParents) {
      problems.push({
        name: 'dangling-reference',
        severity: 'error',
        message: `down_revision of ${node.id} names ${missing}, which is not a revision of this project. Alembic fails on every command ("Revision ${missing} referenced from ${node.id} is not present", then KeyError: '${missing}').`,
        file: node.file.filePath,
        range: referenceRange(node.file, 'down_revision', missing),
        revision: node.id,
      });
    }
    for (const missing of node.missingDependencies) {
      problems.push({
        name: 'dangling-reference',
        severity: 'error',
        message: `depends_on of ${node.id} names ${missing}, which is neither a revision nor a branch label of this project. Alembic fails on every command (KeyError: '${missing}').`,
        file: node.file.filePath,
        range: referenceRange(node.file, 'depends_on', missing),
        revision: node.id,
      });
    }
  }

  for (const cycle of graph.cycles) problems.push(...cycleProblems(graph, cycle));

  for (const [label, owners] of graph.branchLabelConflicts) {
    const [first, ...others] = owners;
    for (const other of others) {
      const node = graph.get(other) as RevisionNode;
      const clashesWithId = graph.has(label) && !graph.branchLabelOwners.has(label) && first === label;
      problems.push({
        name: 'duplicate-branch-label',
        severity: 'error',
        message: clashesWithId
          ? `Branch label '${label}' of revision ${other} is also a revision id; Alembic fails: "Branch name '${label}' in revision ${other} already used by revision ${label}".`
          : `Branch name '${label}' in revision ${other} already used by revision ${first} (Alembic fails on every command).`,
        file: node.file.filePath,
        range: referenceRange(node.file, 'branch_label', label),
        revision: other,
      });
    }
  }

  if (scope.blockingOnly) return problems.filter((problem) => BLOCKING_PROBLEMS.has(problem.name));

  problems.push(...multipleHeadsProblems(graph));

  const convention = options.fileTemplate ? learnedFileNameConvention(graph, options.fileTemplate) : undefined;
  if (convention && options.fileTemplate) problems.push(conventionNote(graph, convention, options.fileTemplate));
  for (const node of graph.revisions()) {
    const file = node.file;
    if (options.fileTemplate) {
      const check = checkFileName(options.fileTemplate, baseName(file.filePath), node.id);
      if (!check.matches && !(convention && fileNameShape(baseName(file.filePath), node.id) === convention.shape)) {
        problems.push({
          name: 'filename-mismatch',
          severity: 'warning',
          message: convention
            ? `File name ${baseName(file.filePath)} follows neither the project's own naming (${convention.display}, ${convention.count} files) nor file_template '${options.fileTemplate}'${fileNameShape(baseName(file.filePath), node.id) ? '' : ` (it does not contain its revision id ${node.id})`}.`
            : `File name ${baseName(file.filePath)} does not match revision ${node.id}: ${check.reason}.`,
          file: file.filePath,
          range: revisionRange(file),
          revision: node.id,
        });
      }
    } else if (!baseName(file.filePath).includes(node.id)) {
      problems.push({
        name: 'filename-mismatch',
        severity: 'warning',
        message: `File name ${baseName(file.filePath)} does not contain its revision id ${node.id}.`,
        file: file.filePath,
        range: revisionRange(file),
        revision: node.id,
      });
    }
    problems.push(...docstringProblems(file));
  }

  return problems.sort((a, b) => a.file.localeCompare(b.file) || (a.range?.start.line ?? -1) - (b.range?.start.line ?? -1) || a.name.localeCompare(b.name));
}

/** A naming the project's files share instead of file_template's (CKAN: `NNN_<rev>_<slug>.py`). */
interface FileNameConvention {
  shape: string;
  /** The shape as people write it: `NNN_<rev>_<slug>.py`. */
  display: string;
  /** Files that follow it. */
  count: number;
}

/**
 * The shape of a file name around its revision id: digit runs before the id become `#`, a slug after
 * it becomes `_<slug>`. Undefined when the name does not contain the id.
 */
export function fileNameShape(fileName: string, revision: string): string | undefined {
  const stem = fileName.replace(/\.py$/, '');
  const at = revision ? stem.indexOf(revision) : -1;
  if (at < 0) return undefined;
  const prefix = stem.slice(0, at).replace(/\d+/g, '#');
  const suffix = stem.slice(at + revision.length).replace(/^([_-]).+$/, '$1<slug>');
  return `${prefix}<rev>${suffix}`;
}

/** A convention is learned only when most files break file_template the same way: then it is a choice, not a slip. */
const CONVENTION_MIN_FILES = 3;
const CONVENTION_MIN_SHARE = 0.8;

function learnedFileNameConvention(graph: RevisionGraph, fileTemplate: string): FileNameConvention | undefined {
  const nodes = graph.revisions();
  const counts = new Map<string, number>();
  let breakingTemplate = 0;
  for (const node of nodes) {
    const name = baseName(node.file.filePath);
    if (checkFileName(fileTemplate, name, node.id).matches) continue;
    breakingTemplate++;
    const shape = fileNameShape(name, node.id);
    if (shape) counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  if (breakingTemplate < nodes.length * CONVENTION_MIN_SHARE) return undefined;
  const [shape, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (!shape || count === undefined || count < CONVENTION_MIN_FILES || count < nodes.length * CONVENTION_MIN_SHARE) return undefined;
  return { shape, count, display: `${shape.replace(/#/g, 'NNN')}.py` };
}

/** The project-wide deviation from file_template, said once (on the newest head) instead of once per file. */
function conventionNote(graph: RevisionGraph, convention: FileNameConvention, fileTemplate: string): GraphProblem {
  const head = graph.get(graph.heads[0] ?? '') ?? graph.revisions()[0];
  return {
    name: 'filename-mismatch',
    severity: 'info',
    message:
      `${convention.count} of ${graph.size} revision files are named ${convention.display}, not by file_template '${fileTemplate}': ` +
      `that is taken as this project's convention, and only files that follow neither are reported. New files from \`alembic revision\` follow file_template, so rename them by hand (or set file_template closer to it).`,
    file: head.file.filePath,
    range: revisionRange(head.file),
    revision: head.id,
  };
}

function cycleProblems(graph: RevisionGraph, cycle: string[]): GraphProblem[] {
  if (cycle.length === 1) {
    const node = graph.get(cycle[0]) as RevisionNode;
    const inDepends = node.file.dependsOn.includes(node.id) && !node.file.downRevisions.includes(node.id);
    return [
      {
        name: 'revision-cycle',
        severity: 'error',
        message: `Revision ${node.id} names itself in ${inDepends ? 'depends_on' : 'down_revision'}; Alembic fails: "${inDepends ? 'Dependency self-loop' : 'Self-loop'} is detected in revisions (${node.id})".`,
        file: node.file.filePath,
        range: referenceRange(node.file, inDepends ? 'depends_on' : 'down_revision', node.id),
        revision: node.id,
      },
    ];
  }
  // Show the loop in the order the edges run: each member's down_revision names the next one.
  const members = new Set(cycle);
  const path: string[] = [cycle[0]];
  const seen = new Set(path);
  for (;;) {
    const node = graph.get(path[path.length - 1]) as RevisionNode;
    const next = [...node.parents, ...node.dependencies].find((id) => members.has(id));
    if (next === undefined) break;
    path.push(next);
    if (seen.has(next)) break;
    seen.add(next);
  }
  const sorted = [...cycle].sort();
  return cycle.map((id) => {
    const node = graph.get(id) as RevisionNode;
    const next = [...node.parents, ...node.dependencies].find((other) => members.has(other)) ?? id;
    const kind: ReferenceKind = node.parents.includes(next) ? 'down_revision' : 'depends_on';
    return {
      name: 'revision-cycle' as const,
      severity: 'error' as const,
      message: `Revisions form a cycle: ${path.join(' -> ')}. Alembic fails: "Cycle is detected in revisions (${sorted.join(', ')})".`,
      file: node.file.filePath,
      range: referenceRange(node.file, kind, next),
      revision: id,
    };
  });
}

function multipleHeadsProblems(graph: RevisionGraph): GraphProblem[] {
  if (graph.heads.length < 2) return [];
  // A revision whose parents we can't read or can't find may well join the heads: that is its own
  // problem, and guessing "multiple heads" from it would only add noise.
  if (
    graph.revisions().some(
      (node) => node.file.downRevisionForm === 'unreadable' || node.file.downRevisionForm === 'missing' || node.missingParents.length > 0,
    )
  ) {
    return [];
  }
  // Heads on separately labelled branches are a deliberate layout (`upgrade <label>@head`); heads
  // that labels don't tell apart are the classic "two people added a migration" divergence.
  const labelSets = graph.heads.map((head) => (graph.get(head) as RevisionNode).branchLabels.join('\u0000'));
  const deliberate = labelSets.every((labels) => labels !== '') && new Set(labelSets).size === labelSets.length;
  const heads = graph.heads.join(', ');
  return graph.heads.map((head) => {
    const node = graph.get(head) as RevisionNode;
    const undistinguished = !deliberate;
    return {
      name: 'multiple-heads' as const,
      severity: undistinguished ? ('error' as const) : ('warning' as const),
      message: undistinguished
        ? `The history has ${graph.heads.length} heads (${heads}). \`alembic upgrade head\` fails with "Multiple head revisions are present" and \`alembic revision\` refuses to run; merge them with \`alembic merge heads -m "merge"\`.`
        : `The history has ${graph.heads.length} heads (${heads}), each on its own branch label; \`alembic upgrade head\` fails, use \`upgrade heads\` or \`<label>@head\`.`,
      file: node.file.filePath,
      range: revisionRange(node.file),
      revision: head,
    };
  });
}

function docstringProblems(file: RevisionFile): GraphProblem[] {
  const problems: GraphProblem[] = [];
  if (file.revision !== undefined && file.docstringRevisionId !== undefined && file.docstringRevisionId !== file.revision) {
    problems.push({
      name: 'docstring-mismatch',
      severity: 'warning',
      message: `The docstring says "Revision ID: ${file.docstringRevisionId}" but revision = '${file.revision}'.`,
      file: file.filePath,
      range: referenceRange(file, 'docstring_revision_id', file.docstringRevisionId),
      revision: file.revision,
    });
  }
  if (file.docstringRevises !== undefined && file.downRevisionForm !== 'unreadable' && file.downRevisionForm !== 'missing') {
    // Alembic writes `Revises: ` for a base; older templates (and people) wrote `Revises: None`.
    const written = new Set(file.docstringRevises.filter((id) => id !== 'None'));
    const actual = new Set(file.downRevisions);
    const same = written.size === actual.size && [...written].every((id) => actual.has(id));
    if (!same) {
      const range = file.references.find((reference) => reference.kind === 'docstring_revises')?.range;
      problems.push({
        name: 'docstring-mismatch',
        severity: 'warning',
        message: `The docstring says "Revises: ${file.docstringRevises.join(', ')}" but down_revision is ${file.downRevisions.length ? file.downRevisions.join(', ') : 'None'}.`,
        file: file.filePath,
        range,
        revision: file.revision,
      });
    }
  }
  return problems;
}
