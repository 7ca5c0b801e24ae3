// Which Compose runs the container commands: `docker compose` (v2), `docker-compose` (v1, still on
// many hosts), `podman compose` or `podman-compose`. The setting names one; otherwise the first
// that answers `version` is used, found once per session.
import { ProcessStartError, runProcess } from './processRunner';

/** Tried in this order when the setting is empty: the executable and its leading arguments. */
export const COMPOSE_COMMAND_CANDIDATES: readonly (readonly string[])[] = [
  ['docker', 'compose'],
  ['docker-compose'],
  ['podman', 'compose'],
  ['podman-compose'],
];

export interface ComposeCommandChoice {
  /** Undefined when none answered. */
  command?: string[];
  /** `docker compose version`'s first line, for the output channel. */
  version?: string;
  /** One line for the output channel: which command is used and why, or that none is installed. */
  message: string;
}

/** The first candidate whose `version` exits 0. */
export async function detectComposeCommand(
  candidates: readonly (readonly string[])[] = COMPOSE_COMMAND_CANDIDATES,
): Promise<ComposeCommandChoice> {
  for (const candidate of candidates) {
    const [executable, ...leading] = candidate;
    try {
      const result = await runProcess({ executable, args: [...leading, 'version'], cwd: process.cwd() });
      if (result.exitCode !== 0) continue;
      const version = result.stdout.split('\n').map((line) => line.trim()).find(Boolean);
      return {
        command: [...candidate],
        version,
        message: `Docker Compose command: ${candidate.join(' ')} (detected: the first of ${describeCandidates(candidates)} that answers "version"${version ? `: ${version}` : ''}).`,
      };
    } catch (error) {
      if (!(error instanceof ProcessStartError)) throw error;
    }
  }
  return {
    message: `No Docker Compose is installed: none of ${describeCandidates(candidates)} answers "version". Install Docker Compose (or Podman Compose), or set alembicWorkbench.runner.dockerCompose.command.`,
  };
}

function describeCandidates(candidates: readonly (readonly string[])[]): string {
  return candidates.map((candidate) => `"${candidate.join(' ')}"`).join(', ');
}

/** Detects once and remembers the answer (Compose does not come and go within a session). */
export class ComposeCommandDetector {
  private pending?: Promise<ComposeCommandChoice>;
  private resolved?: ComposeCommandChoice;

  constructor(private readonly onDetected: (choice: ComposeCommandChoice) => void = () => {}) {}

  detect(): Promise<ComposeCommandChoice> {
    this.pending ??= detectComposeCommand().then((choice) => {
      this.resolved = choice;
      this.onDetected(choice);
      return choice;
    });
    return this.pending;
  }

  /** The detected command, once detection finished. */
  get current(): string[] | undefined {
    return this.resolved?.command;
  }
}
