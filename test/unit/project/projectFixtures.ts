// Throw-away project trees for config, discovery and model tests.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TempTree {
  root: string;
  write(relative: string, content: string): string;
  mkdir(relative: string): string;
  cleanup(): void;
}

export function tempTree(prefix = 'aw-project-'): TempTree {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  return {
    root,
    write(relative, content) {
      const file = path.join(root, relative);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    mkdir(relative) {
      const folder = path.join(root, relative);
      mkdirSync(folder, { recursive: true });
      return folder;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Sets a file's times back, past the header cache's two-second window for files just written. */
export function ageFile(file: string, secondsAgo = 60): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(file, when, when);
}

/** The alembic.ini Alembic 1.8.1's `init` writes, with the given script location. */
export function alembicIni(scriptLocation = 'alembic', extra = ''): string {
  return `# A generic, single database configuration.

[alembic]
# path to migration scripts
script_location = ${scriptLocation}

# file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s
prepend_sys_path = .

# version_locations = %(here)s/bar:%(here)s/bat:${scriptLocation}/versions
version_path_separator = os  # Use os.pathsep. Default configuration used for new projects.

sqlalchemy.url = postgresql+psycopg2://app:s3cret@db:5432/app
${extra}

[loggers]
keys = root,sqlalchemy,alembic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
`;
}
