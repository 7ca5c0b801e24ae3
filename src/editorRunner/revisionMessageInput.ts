// Validation for the message input box of Generate and Merge: the rules the runner enforces
// (alembicCommand.revisionMessageProblem), said while typing, before anything runs. No vscode import.
import { revisionMessageProblem } from '../core/runner/alembicCommand';

export function validateRevisionMessage(value: string): string | undefined {
  if (value.trim() === '') return 'Enter a message: Alembic puts it in the docstring and, shortened, in the file name (e.g. "add meeting summary").';
  const problem = revisionMessageProblem(value);
  return problem ? `Not possible as typed: ${problem}.` : undefined;
}
