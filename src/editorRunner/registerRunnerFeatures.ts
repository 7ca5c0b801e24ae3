// What the Alembic commands need from activation on: the provider of their read-only documents
// (history, offline SQL) registered before VS Code restores such a tab, and the runner service
// disposed with the extension (it cancels a command still running), and the failures of commands
// shown with their follow-up buttons.
import type { Workbench } from '../workbench';
import { showAlembicFailure } from './failureActions';

export function registerRunnerFeatures(workbench: Workbench): void {
  workbench.track(
    workbench.runners.documents.register(),
    workbench.runners.onDidFail(({ project, result, followUps }) => showAlembicFailure(workbench, project, result, followUps)),
    workbench.runners,
  );
}
