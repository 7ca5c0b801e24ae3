// `alembic-workbench check`: every problem of the project (configuration, revision headers, the
// graph), each with file, line and a stable name. Never stops at the first one. Exit 1 when any is an
// error, so CI can run it.
import type { GraphProblem } from '../core/revisions/graphProblems';
import { CliCommand, CliIO, CliUsageError, ExitCode } from './cliTypes';
import { displayPath } from '../core/util/displayPath';
import { paletteFor } from './format';
import { openProject, parseCommandArgs, SHARED_USAGE } from './projectArgs';

const usage = `Usage: alembic-workbench check [options]

Report every problem Alembic would trip over, with file and line: duplicate-revision,
dangling-reference, revision-cycle, missing-revision-id, missing-down-revision, invalid-revision-id,
invalid-header, unreadable-header, duplicate-branch-label, multiple-heads, filename-mismatch,
docstring-mismatch, syntax-error, config-error. Exit status 1 when any is an error.

Options:
      --no-syntax       skip the Python syntax check (faster on very large histories)
      --strict          warnings fail the check too
${SHARED_USAGE}

--json prints {"problems": [{"name", "severity", "message", "file", "line"}]} (line is 1-based, or null).
`;

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

export const checkCommand: CliCommand = {
  name: 'check',
  summary: 'report every problem in the history and config (exit 1 on errors)',
  usage,
  async run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      'no-syntax': { type: 'boolean' },
      strict: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(usage);
      return ExitCode.ok;
    }
    if (positionals.length > 0) throw new CliUsageError(`check takes no arguments (got '${positionals.join(' ')}')`);
    const { config, model } = await openProject(values, io, { syntaxCheck: !values['no-syntax'] });
    const problems = model.problems();
    const failing = problems.filter((problem) => problem.severity === 'error' || (values.strict && problem.severity === 'warning'));
    const exitCode = failing.length > 0 ? ExitCode.problemsFound : ExitCode.ok;
    if (values.json) {
      const json = problems.map((problem: GraphProblem) => ({
        name: problem.name,
        severity: problem.severity,
        message: problem.message,
        file: problem.file,
        line: problem.range ? problem.range.start.line + 1 : null,
      }));
      io.stdout(`${JSON.stringify({ problems: json }, null, 2)}\n`);
      return exitCode;
    }
    const palette = paletteFor(io, values['no-color'] === true);
    const sorted = [...problems].sort(
      (a, b) => a.file.localeCompare(b.file) || (a.range?.start.line ?? -1) - (b.range?.start.line ?? -1) || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
    for (const problem of sorted) {
      const where = problem.range
        ? `${displayPath(problem.file, io.cwd)}:${problem.range.start.line + 1}:${problem.range.start.column + 1}`
        : displayPath(problem.file, io.cwd);
      const severity = problem.severity === 'error' ? palette.error('error') : problem.severity === 'warning' ? palette.warning('warning') : 'info';
      io.stdout(`${where}: ${severity} ${palette.dim(problem.name)}: ${problem.message}\n`);
    }
    const count = (severity: GraphProblem['severity']) => problems.filter((problem) => problem.severity === severity).length;
    const errors = count('error');
    const warnings = count('warning');
    const summary =
      problems.length === 0
        ? `No problems in ${model.graph.size} revisions`
        : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${model.graph.size} revisions`;
    io.stdout(`${summary} (${displayPath(config.configFile ?? config.versionLocations[0], io.cwd)}).\n`);
    return exitCode;
  },
};
