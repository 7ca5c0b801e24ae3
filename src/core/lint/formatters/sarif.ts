// `--format sarif`: SARIF 2.1.0 (validated against the OASIS schema in the tests), for GitHub code
// scanning and other SARIF viewers. Each rule carries its docs link; fixes become SARIF fixes.
import { pathToFileURL } from 'node:url';
import type { Severity } from '../findings';
import { LINT_RULES, ruleDocsUrl } from '../ruleCatalog';
import { displayPath } from '../../util/displayPath';
import type { FormatInput } from './formatInput';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };
const SRCROOT = '%SRCROOT%';
export const DEFAULT_DOCS_BASE = 'https://github.com/alembic-workbench/alembic-workbench/blob/main/';

function region(range: { start: { line: number; column: number }; end: { line: number; column: number } }) {
  return { startLine: range.start.line + 1, startColumn: range.start.column + 1, endLine: range.end.line + 1, endColumn: range.end.column + 1 };
}

function artifact(filePath: string, cwd: string) {
  const shown = displayPath(filePath, cwd);
  return shown.startsWith('/') ? { uri: pathToFileURL(shown).toString() } : { uri: encodeURI(shown), uriBaseId: SRCROOT };
}

export function toSarif(input: FormatInput): Record<string, unknown> {
  const docsBase = input.docsBase ?? DEFAULT_DOCS_BASE;
  const rules = LINT_RULES.map((rule) => ({
    id: rule.code,
    name: rule.name,
    shortDescription: { text: rule.summary },
    helpUri: ruleDocsUrl(rule, docsBase),
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
    properties: { tags: [rule.category] },
  }));
  const ruleIndex = new Map(LINT_RULES.map((rule, index) => [rule.code, index]));
  const results = input.findings.map((finding) => {
    const location = { artifactLocation: artifact(finding.filePath, input.cwd), region: region(finding.range) };
    const result: Record<string, unknown> = {
      ruleId: finding.code,
      ruleIndex: ruleIndex.get(finding.code),
      level: LEVEL[finding.severity],
      message: { text: finding.message },
      locations: [{ physicalLocation: location }],
    };
    if (finding.fix) {
      result.fixes = [
        {
          description: { text: finding.fix.title },
          artifactChanges: [
            {
              artifactLocation: artifact(finding.filePath, input.cwd),
              replacements: finding.fix.edits.map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
            },
          ],
        },
      ];
    }
    return result;
  });
  const notifications = input.configProblems.map((problem) => ({
    level: 'error',
    message: { text: problem.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(problem.filePath, input.cwd), region: region(problem.range) } }],
  }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'alembic-workbench',
            informationUri: docsBase,
            ...(input.toolVersion ? { version: input.toolVersion } : {}),
            rules,
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(input.cwd.endsWith('/') ? input.cwd : `${input.cwd}/`).toString() } },
        invocations: [{ executionSuccessful: true, toolConfigurationNotifications: notifications }],
        results,
      },
    ],
  };
}

export function formatSarif(input: FormatInput): string {
  return `${JSON.stringify(toSarif(input), null, 2)}\n`;
}
