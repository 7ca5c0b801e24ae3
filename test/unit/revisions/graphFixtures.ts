// Small histories for graph tests, written as real revision file text and read with the real
// reader, so the graph is tested on what parseRevisionFile produces.
import { parseRevisionFile, RevisionFile } from '../../../src/core/revisions/revisionFile';
import { RevisionGraph, RevisionGraphOptions } from '../../../src/core/revisions/revisionGraph';
import { revisionSource, type RevisionSpec } from '../../support/revisionSource';

export { revisionSource, type RevisionSpec };

export function revisionFileOf(spec: RevisionSpec): RevisionFile {
  const slug = (spec.message ?? `revision ${spec.id}`).toLowerCase().replace(/\W+/g, '_');
  return parseRevisionFile(revisionSource(spec), `/project/versions/${spec.fileName ?? `${spec.id}_${slug}.py`}`);
}

/** A graph from specs, in the given (load) order. */
export function graphOf(specs: RevisionSpec[], options: RevisionGraphOptions = {}): RevisionGraph {
  return RevisionGraph.build(specs.map(revisionFileOf), options);
}

export function ids(nodes: Array<{ id: string }>): string[] {
  return nodes.map((node) => node.id);
}
