// The JSON shape of one revision, shared by `history --json`, `show --json` and `graph --json`.
import type { RevisionNode } from '../core/revisions/revisionGraph';

export interface RevisionJson {
  revision: string;
  down_revisions: string[];
  branch_labels: string[];
  depends_on: string[];
  message: string | null;
  file: string;
  is_head: boolean;
  is_branch_point: boolean;
  is_merge_point: boolean;
}

export function revisionJson(node: RevisionNode): RevisionJson {
  return {
    revision: node.id,
    down_revisions: [...node.file.downRevisions],
    branch_labels: [...node.branchLabels],
    depends_on: [...node.file.dependsOn],
    message: node.file.message ?? null,
    file: node.file.filePath,
    is_head: node.isHead,
    is_branch_point: node.isBranchPoint,
    is_merge_point: node.isMergePoint,
  };
}
