// `--format json`: an array of {file, line, column, end_line, end_column, code, rule, severity,
// message}; lines and columns are 1-based (as in the text output), end_column points just past
// the highlighted text.
import { displayPath } from '../../util/displayPath';
import type { FormatInput } from './formatInput';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  end_line: number;
  end_column: number;
  code: string;
  rule: string;
  severity: string;
  message: string;
}

export function toJsonFindings(input: FormatInput): JsonFinding[] {
  return input.findings.map((finding) => ({
    file: displayPath(finding.filePath, input.cwd),
    line: finding.range.start.line + 1,
    column: finding.range.start.column + 1,
    end_line: finding.range.end.line + 1,
    end_column: finding.range.end.column + 1,
    code: finding.code,
    rule: finding.rule,
    severity: finding.severity,
    message: finding.message,
  }));
}

export function formatJson(input: FormatInput): string {
  return `${JSON.stringify(toJsonFindings(input), null, 2)}\n`;
}
