// Compares our answers with the real Alembic's on one project: heads, history (full text), show for
// every revision and for symbols, history ranges, and where `upgrade`/`downgrade` targets land
// (through Alembic's offline --sql mode, which resolves targets exactly as online runs do).
import assert from 'node:assert/strict';
import path from 'node:path';
import { AlembicProjectModel } from '../../../../src/core/projectModel';
import { loadProjectConfig } from '../../../../src/core/project/projectConfig';
import { migrationPlan, resolveSymbol, RevisionResolutionError } from '../../../../src/core/revisions/revisionSymbols';
import { runCli } from '../../../unit/cli/runCli';
import { AlembicCall, AlembicResult, runAlembicBatch } from './alembicBatch';

/**
 * Text both sides print, made comparable where Alembic's order is not determined: Python prints
 * branch labels and "Branches into" from sets (hash order), so lists inside parentheses and on those
 * lines are sorted. Everything else must match character for character.
 */
export function normalize(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(/\(([^()]*, [^()]*)\)/g, (_whole, list: string) => `(${list.split(', ').sort().join(', ')})`)
        .replace(/^(Branches into|Branch names): (.*)$/, (_whole, key: string, list: string) => `${key}: ${list.split(', ').sort().join(', ')}`),
    )
    .join('\n');
}

/** The message after "FAILED: " (Alembic) or "error: " (us), first line only. */
export function failureMessage(text: string): string {
  const match = /(?:FAILED|error): (.*)/.exec(text);
  return match ? match[1].trim() : text.trim();
}

export interface ParityOptions {
  /** Symbols to compare with `show` (besides every revision id). */
  symbols?: string[];
  /** `history -r` ranges to compare. */
  ranges?: string[];
  /** [from, target] pairs for `upgrade from:target --sql`. */
  upgrades?: Array<[string, string]>;
  /** [from, target] pairs for `downgrade from:target --sql`. */
  downgrades?: Array<[string, string]>;
}

interface Probe {
  name: string;
  call: AlembicCall;
  check(result: AlembicResult): Promise<void> | void;
}

/** The revisions an offline run went through, in order ("-- Running upgrade a -> b, msg" lines). */
function runSteps(stdout: string, direction: 'upgrade' | 'downgrade'): string[] {
  const steps: string[] = [];
  for (const match of stdout.matchAll(/^-- Running (upgrade|downgrade) (.*?) -> (.*)$/gm)) {
    // upgrade: "<downs> -> <rev>, <message>"; downgrade: "<rev> -> <downs>, <message>".
    steps.push(direction === 'upgrade' ? match[3].split(',')[0].trim() : match[2].trim());
  }
  return steps;
}

export async function assertParity(projectRoot: string, options: ParityOptions = {}): Promise<{ revisions: number; probes: number }> {
  const config = loadProjectConfig(path.join(projectRoot, 'alembic.ini'));
  const model = AlembicProjectModel.load(config);
  const graph = model.graph;
  const cwd = projectRoot;
  const ours = (args: string[]) => runCli(args, { cwd });
  const probes: Probe[] = [];

  const compareText = (name: string, argv: string[], ourArgs: string[]) =>
    probes.push({
      name,
      call: { cwd, argv },
      async check(result) {
        const mine = await ours(ourArgs);
        if (result.code === 0) {
          assert.equal(mine.code, 0, `${name}: Alembic succeeded but we failed:\n${mine.stderr}`);
          assert.equal(normalize(mine.stdout), normalize(result.stdout), `${name}: output differs`);
        } else {
          assert.notEqual(mine.code, 0, `${name}: Alembic failed (${result.code}: ${failureMessage(result.stdout || result.stderr)}) but we printed:\n${mine.stdout}`);
          if (result.code === 255) assert.equal(failureMessage(mine.stderr), failureMessage(result.stdout), `${name}: failure message differs`);
        }
      },
    });

  compareText('heads', ['heads'], ['heads']);
  compareText('heads --resolve-dependencies', ['heads', '--resolve-dependencies'], ['heads', '--resolve-dependencies']);
  compareText('heads -v', ['heads', '-v'], ['heads', '-v']);
  compareText('history', ['history'], ['history']);
  for (const node of graph.revisions()) compareText(`show ${node.id}`, ['show', node.id], ['show', node.id]);
  for (const symbol of options.symbols ?? []) compareText(`show ${symbol}`, ['show', symbol], ['show', symbol]);
  for (const range of options.ranges ?? []) compareText(`history -r ${range}`, ['history', '-r', range], ['history', '-r', range]);

  const planProbe = (direction: 'upgrade' | 'downgrade', from: string, target: string) =>
    probes.push({
      name: `${direction} ${from}:${target}`,
      call: { cwd, argv: [direction, `${from}:${target}`, '--sql'] },
      check(result) {
        const name = `${direction} ${from}:${target}`;
        let plan: string[] | undefined;
        let error: RevisionResolutionError | undefined;
        try {
          plan = migrationPlan(graph, direction, target, from === 'base' ? [] : [from]).steps.map((node) => node.id);
        } catch (caught) {
          if (!(caught instanceof RevisionResolutionError)) throw caught;
          error = caught;
        }
        if (result.code === 0) {
          assert.equal(error, undefined, `${name}: Alembic succeeded but we failed with ${error?.message}`);
          assert.deepEqual(plan, runSteps(result.stdout, direction), `${name}: the migrations to run differ`);
          // The single-target resolution agrees with where the plan ends.
          if (plan && plan.length > 0 && /[+-]\d+$/.test(target)) {
            const [resolved] = resolveSymbol(graph, target, { purpose: direction, from: from === 'base' ? [] : [from] });
            const end = direction === 'upgrade' ? plan[plan.length - 1] : (graph.get(plan[plan.length - 1])?.file.downRevisions[0] ?? 'base');
            if (graph.get(plan[plan.length - 1])?.file.downRevisions.length !== 2) {
              assert.equal(resolved === 'base' ? 'base' : resolved.id, end, `${name}: resolved target`);
            }
          }
        } else {
          assert.ok(error, `${name}: Alembic failed (${failureMessage(result.stdout || result.stderr)}) but we planned ${plan?.join(', ')}`);
          if (result.code === 255) assert.equal(error.message, failureMessage(result.stdout), `${name}: message differs`);
        }
      },
    });
  for (const [from, target] of options.upgrades ?? []) planProbe('upgrade', from, target);
  for (const [from, target] of options.downgrades ?? []) planProbe('downgrade', from, target);

  const results = runAlembicBatch(probes.map((probe) => probe.call));
  for (const [index, probe] of probes.entries()) await probe.check(results[index]);
  return { revisions: graph.size, probes: probes.length };
}
