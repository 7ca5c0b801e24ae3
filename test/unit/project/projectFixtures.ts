// Throw-away project trees for config, discovery and model tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RACY_WINDOW_MS } from '../../../src/core/project/headerCache';

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

/**
 * The header cache's clock for tests. A file's ctime can't be set back, so instead of waiting out
 * the racy window a test moves the clock: `later()` as if a minute had passed since every write
 * (files become cacheable), `present()` back to the real time (files just written are too new).
 */
export class CacheClock {
  private offset = 0;
  readonly now = (): number => Date.now() + this.offset;
  later(): void {
    this.offset = RACY_WINDOW_MS + 60_000;
  }
  present(): void {
    this.offset = 0;
  }
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
