// Compiler-style lines: `path:line:col: severity AW101 changing-column-type: message` (1-based),
// so terminals and editors can jump to them; then a one-line summary.
import { displayPath } from '../../util/displayPath';
import type { FormatInput } from './formatInput';

export function formatText(input: FormatInput): string {
  const lines: string[] = [];
  for (const problem of input.configProblems) {
    const { line, column } = problem.range.start;
    lines.push(`${displayPath(problem.filePath, input.cwd)}:${line + 1}:${column + 1}: error ${problem.kind}: ${problem.message}`);
  }
  for (const finding of input.findings) {
    const { line, column } = finding.range.start;
    lines.push(`${displayPath(finding.filePath, input.cwd)}:${line + 1}:${column + 1}: ${finding.severity} ${finding.code} ${finding.rule}: ${finding.message}`);
  }
  const count = (severity: string) => input.findings.filter((finding) => finding.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const files = plural(input.filesLinted, 'file');
  if (input.findings.length === 0 && input.configProblems.length === 0) {
    lines.push(`No problems found in ${files}.`);
  } else {
    const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), `${count('info')} info`];
    if (input.configProblems.length) parts.push(plural(input.configProblems.length, 'configuration problem'));
    lines.push(`${parts.join(', ')} in ${files}.`);
  }
  return `${lines.join('\n')}\n`;
}
