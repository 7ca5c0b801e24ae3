// What every output format receives: the findings and config problems of one lint run.
import type { ConfigProblem, Finding } from '../findings';

export interface FormatInput {
  findings: readonly Finding[];
  configProblems: readonly ConfigProblem[];
  /** Paths are shown relative to this folder (and SARIF uses it as %SRCROOT%). */
  cwd: string;
  filesLinted: number;
  /** Base for docs links (a web URL of the repository tree or a local folder). */
  docsBase?: string;
  toolVersion?: string;
}
