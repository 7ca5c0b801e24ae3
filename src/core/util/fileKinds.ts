// What is at a path, following links, for code that only needs a yes or no: a missing path or one
// that can't be read is neither.
import { statSync } from 'node:fs';

export function isDirectory(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

export function isFile(target: string): boolean {
  try {
    return statSync(target).isFile();
  } catch {
    return false;
  }
}
