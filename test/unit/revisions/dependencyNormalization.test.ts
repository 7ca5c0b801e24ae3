// depends_on normalisation (Alembic drops a dependency an ancestor already declares) on random
// histories: branches, merges, labels, dangling ids, cycles, the same dependency declared again and
// again. The graph's answer is compared with the definition itself (each revision's ancestors
// walked one by one), and its work is counted: doubling a history must not quadruple it.
import assert from 'node:assert/strict';
import type { RevisionGraph } from '../../../src/core/revisions/revisionGraph';
import type { RevisionSpec } from '../../support/revisionSource';
import { seededRandom } from '../../support/seededRandom';
import { graphOf } from './graphFixtures';

/** Alembic's `_normalize_depends_on`, literally: the dependencies of every strict ancestor are dropped. */
function expectedNormalized(graph: RevisionGraph, id: string): string[] {
  const node = graph.get(id)!;
  const implied = new Set<string>();
  for (const ancestor of graph.ancestorsOf([id])) if (ancestor !== id) for (const dependency of graph.get(ancestor)!.dependencies) implied.add(dependency);
  return node.dependencies.filter((dependency) => !implied.has(dependency));
}

function randomHistory(size: number, next: () => number): RevisionSpec[] {
  const specs: RevisionSpec[] = [];
  const pick = () => specs[Math.floor(next() * specs.length)].id;
  for (let index = 0; index < size; index++) {
    const id = `r${index}`;
    const spec: RevisionSpec = { id, down: null };
    if (specs.length > 0) {
      const roll = next();
      if (roll < 0.15) spec.down = [pick(), pick()];
      else if (roll < 0.97) spec.down = next() < 0.7 ? specs[specs.length - 1].id : pick();
      else if (roll < 0.985) spec.down = 'missing';
      else spec.down = `r${index + 1 + Math.floor(next() * 3)}`; // a forward reference: may close a cycle
      if (next() < 0.35) spec.dependsOn = Array.from({ length: 1 + Math.floor(next() * 2) }, () => (next() < 0.5 && specs.length > 3 ? `r${Math.floor(next() * 4)}` : pick()));
      if (next() < 0.05) spec.labels = [`label${index}`];
      if (spec.dependsOn && next() < 0.1) spec.dependsOn.push(`label${Math.floor(next() * index)}`);
    }
    specs.push(spec);
  }
  return specs;
}

/** The benchmark's shape: a fork every five revisions merged by the fifth; some revisions depend on older ones. */
function branchedWithDependencies(size: number): RevisionSpec[] {
  const specs: RevisionSpec[] = [{ id: 'r0', down: null }];
  let head = 'r0';
  for (let index = 1; index + 5 <= size; index += 5) {
    const at = (offset: number) => `r${index + offset}`;
    specs.push({ id: at(0), down: head, dependsOn: index % 10 === 1 && index > 40 ? [`r${index - 40}`] : undefined });
    specs.push({ id: at(1), down: at(0), dependsOn: index % 50 === 1 ? ['r0'] : undefined });
    specs.push({ id: at(2), down: head });
    specs.push({ id: at(3), down: at(2), dependsOn: index % 25 === 1 && index > 100 ? [`r${index - 100}`, 'r0'] : undefined });
    specs.push({ id: at(4), down: [at(1), at(3)] });
    head = at(4);
  }
  return specs;
}

describe('depends_on normalisation', () => {
  it('matches the definition on 300 random histories (branches, merges, labels, dangling ids, cycles)', () => {
    const next = seededRandom(20251206);
    for (let round = 0; round < 300; round++) {
      const graph = graphOf(randomHistory(5 + Math.floor(next() * 60), next));
      for (const node of graph.history()) {
        assert.deepEqual(node.normalizedDependencies, expectedNormalized(graph, node.id), `round ${round}, ${node.id}`);
        assert.deepEqual(node.normalizedDownRevisions, node.normalizedDependencies.length ? [...new Set([...node.parents, ...node.normalizedDependencies])] : node.parents);
      }
    }
  });

  it('matches the definition on the benchmark shape and does linear work as the history doubles', () => {
    const steps: number[] = [];
    for (const size of [2500, 5000, 10_000]) {
      const graph = graphOf(branchedWithDependencies(size));
      if (size === 2500) for (const node of graph.history()) assert.deepEqual(node.normalizedDependencies, expectedNormalized(graph, node.id), node.id);
      assert.ok(graph.normalizationSteps >= size - 5, `${graph.normalizationSteps} steps for ${size} revisions`);
      steps.push(graph.normalizationSteps);
    }
    // Linear work doubles (x2); the former walk of every declaring revision's ancestors quadrupled.
    assert.ok(steps[1] / steps[0] < 2.5 && steps[2] / steps[1] < 2.5, `steps ${steps.join(', ')}`);
  });
});
