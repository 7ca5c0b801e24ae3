// How every output (check, status, lint's formats) prints a file path, so one file is written the
// same way in all of them.
import path from 'node:path';

/** A path as printed: relative to cwd when inside it, with forward slashes; else absolute. */
export function displayPath(filePath: string, cwd: string): string {
  const relative = path.relative(cwd, filePath);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : filePath;
  return shown.split(path.sep).join('/');
}
