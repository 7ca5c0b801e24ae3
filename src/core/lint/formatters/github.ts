// `--format github`: GitHub Actions workflow commands, one annotation per finding, shown inline on
// the pull request. Values are escaped as the runner expects: %, CR and LF everywhere, and also
// `:` and `,` inside properties (file, title).
import type { Severity } from '../findings';
import { displayPath } from '../../util/displayPath';
import type { FormatInput } from './formatInput';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(input: FormatInput): string {
  const lines: string[] = [];
  for (const problem of input.configProblems) {
    const file = escapeProperty(displayPath(problem.filePath, input.cwd));
    lines.push(`::error file=${file},line=${problem.range.start.line + 1},title=${escapeProperty(`alembic-workbench ${problem.kind}`)}::${escapeData(problem.message)}`);
  }
  for (const finding of input.findings) {
    const { start, end } = finding.range;
    const properties = [
      `file=${escapeProperty(displayPath(finding.filePath, input.cwd))}`,
      `line=${start.line + 1}`,
      `endLine=${end.line + 1}`,
      `col=${start.column + 1}`,
      `endColumn=${end.column + 1}`,
      `title=${escapeProperty(`${finding.code} ${finding.rule}`)}`,
    ];
    lines.push(`::${COMMAND[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
