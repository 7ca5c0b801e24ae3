// Suppression comments:
//   op.drop_column('t', 'c')  # alembic-workbench: ignore[AW201]          (this statement)
//   # alembic-workbench: ignore[AW201, dropping-table]                    (the statement below)
//   # alembic-workbench: ignore-file[AW501]                               (the whole file)
// Codes or names, comma-separated. Only real comments count (not text inside a SQL string), and a
// comment naming an unknown rule is reported rather than silently suppressing nothing.
import type { Tree } from '@lezer/common';
import type { LineIndex } from '../python/pythonSource';
import type { ConfigProblem } from './findings';
import { findRule, ruleSuggestion } from './ruleCatalog';

interface LineSuppression {
  line: number;
  codes: Set<string>;
  /** A comment alone on its line applies to the next line of code. */
  appliesToLine?: number;
}

export interface Suppressions {
  fileCodes: Set<string>;
  lines: LineSuppression[];
  problems: ConfigProblem[];
}

const DIRECTIVE = /alembic-workbench\s*:\s*(ignore-file|ignore)\b\s*(\[([^\]]*)\])?/g;

export function parseSuppressions(source: string, tree: Tree, lineIndex: LineIndex, filePath: string): Suppressions {
  const result: Suppressions = { fileCodes: new Set(), lines: [], problems: [] };
  if (!source.includes('alembic-workbench')) return result;
  tree.iterate({
    enter: (node) => {
      if (node.name !== 'Comment') return;
      const text = source.slice(node.from, node.to);
      DIRECTIVE.lastIndex = 0;
      for (let match = DIRECTIVE.exec(text); match; match = DIRECTIVE.exec(text)) {
        const from = node.from + match.index;
        const range = lineIndex.range(from, from + match[0].length);
        if (match[2] === undefined) {
          result.problems.push({
            message: `"${match[0].trim()}" names no rules: write ${match[1]}[AW101] or ${match[1]}[changing-column-type] (codes or names, comma-separated).`,
            filePath,
            range,
            kind: 'suppression',
          });
          continue;
        }
        const codes = new Set<string>();
        for (const token of match[3].split(',').map((part) => part.trim()).filter(Boolean)) {
          const rule = findRule(token);
          if (rule) codes.add(rule.code);
          else {
            const suggestion = ruleSuggestion(token);
            result.problems.push({
              message: `Unknown rule "${token}" in a suppression comment${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
              filePath,
              range,
              kind: 'suppression',
            });
          }
        }
        if (match[1] === 'ignore-file') {
          for (const code of codes) result.fileCodes.add(code);
          continue;
        }
        const line = lineIndex.position(node.from).line;
        const lineStart = lineIndex.lineStart(line);
        const standalone = source.slice(lineStart, node.from).trim() === '';
        result.lines.push({ line, codes, appliesToLine: standalone ? nextCodeLine(source, lineIndex, line) : undefined });
      }
    },
  });
  return result;
}

function nextCodeLine(source: string, lineIndex: LineIndex, line: number): number | undefined {
  for (let next = line + 1; next < lineIndex.lineCount; next++) {
    const start = lineIndex.lineStart(next);
    const end = next + 1 < lineIndex.lineCount ? lineIndex.lineStart(next + 1) : source.length;
    const text = source.slice(start, end).trim();
    if (text !== '' && !text.startsWith('#')) return next;
  }
  return undefined;
}

/** Whether a finding on lines [firstLine, lastLine] (its statement's lines) is suppressed for `code`. */
export function isSuppressed(suppressions: Suppressions, code: string, firstLine: number, lastLine: number): boolean {
  if (suppressions.fileCodes.has(code)) return true;
  return suppressions.lines.some(
    (entry) => entry.codes.has(code) && ((entry.line >= firstLine && entry.line <= lastLine) || entry.appliesToLine === firstLine),
  );
}
