// Plain text placed in Markdown (hovers, tree tooltips, the status bar): revision messages are
// written by people, and `*`, `_`, `[` or `$(` are literal there.

/**
 * Escapes what Markdown or VS Code's `$(icon)` syntax could read as formatting: inline markers
 * everywhere, list and heading markers only where they start a line (so dates stay readable).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]<>|$!~]/g, '\\$&')
    .replace(/^(\s*)([#+-])/gm, '$1\\$2')
    .replace(/^(\s*\d+)\./gm, '$1\\.');
}
