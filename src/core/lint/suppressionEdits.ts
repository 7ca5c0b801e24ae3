// The edits behind "Ignore AW101 for this line" and "Ignore AW101 in this file": a suppression
// comment (see suppressions.ts) inserted where the engine will honour it, or an existing one
// extended, so a file never collects one comment per rule.
import type { SyntaxNode, Tree } from '@lezer/common';
import { LineIndex, PythonNestingError, type SourceRange } from '../python/pythonSource';
import type { TextEdit } from './findings';
import { parseMigrationTree } from './fastMigrationParser';
import { findRule } from './ruleCatalog';

const LINE_DIRECTIVE = /alembic-workbench\s*:\s*ignore\s*\[([^\]]*)\]/;
const FILE_DIRECTIVE = /alembic-workbench\s*:\s*ignore-file\s*\[([^\]]*)\]/;

interface CommentInfo {
  from: number;
  to: number;
  line: number;
  /** Nothing but whitespace before it on its line. */
  standalone: boolean;
}

interface SourceFacts {
  source: string;
  lines: LineIndex;
  tree: Tree;
  comments: CommentInfo[];
  eol: string;
}

/** Undefined when the file nests too deeply to be parsed (no edit is offered then). */
function factsOf(source: string): SourceFacts | undefined {
  const lines = new LineIndex(source);
  let tree;
  try {
    tree = parseMigrationTree(source);
  } catch (error) {
    if (error instanceof PythonNestingError) return undefined;
    throw error;
  }
  const comments: CommentInfo[] = [];
  tree.iterate({
    enter: (node) => {
      if (node.name !== 'Comment') return;
      const line = lines.position(node.from).line;
      comments.push({ from: node.from, to: node.to, line, standalone: source.slice(lines.lineStart(line), node.from).trim() === '' });
    },
  });
  return { source, lines, tree, comments, eol: source.includes('\r\n') ? '\r\n' : '\n' };
}

/** Whether the directive in a comment already names the rule (by code or name). */
function names(list: string, code: string): boolean {
  return list
    .split(',')
    .map((token) => findRule(token.trim())?.code)
    .includes(code);
}

/** Adds `, AW101` inside the brackets of a directive comment; undefined when it already names the rule. */
function extendDirective(facts: SourceFacts, comment: CommentInfo, pattern: RegExp, code: string): TextEdit | null {
  const text = facts.source.slice(comment.from, comment.to);
  const match = pattern.exec(text);
  if (!match) return null;
  if (names(match[1], code)) return null;
  const closing = comment.from + match.index + match[0].length - 1;
  const separator = match[1].trim() === '' ? '' : ', ';
  const at = facts.lines.position(closing);
  return { range: { start: at, end: at }, newText: `${separator}${code}` };
}

function stringSpanning(tree: Tree, offset: number): SyntaxNode | undefined {
  let node: SyntaxNode | null = tree.resolveInner(offset, 1);
  for (; node; node = node.parent) {
    if ((node.name === 'String' || node.name === 'FormatString') && node.from < offset && offset < node.to) return node;
  }
  return undefined;
}

function indentOf(source: string, lines: LineIndex, line: number): string {
  const start = lines.lineStart(line);
  return /^[ \t]*/.exec(source.slice(start, start + 200))?.[0] ?? '';
}

/**
 * "Ignore <code> for this line": extends an ignore comment on the finding's line or the line above,
 * else inserts `# alembic-workbench: ignore[<code>]` above it with its indentation. Undefined when
 * the line is inside a string (a docstring line can't carry a comment) or the rule is already named.
 */
export function ignoreOnLineEdit(source: string, codeOrName: string, range: SourceRange): TextEdit | undefined {
  const code = findRule(codeOrName)?.code ?? codeOrName;
  const facts = factsOf(source);
  if (!facts) return undefined;
  const line = range.start.line;
  const lineStart = facts.lines.lineStart(line);
  const onLine = facts.comments.find((comment) => comment.line === line && LINE_DIRECTIVE.test(source.slice(comment.from, comment.to)));
  if (onLine) return extendDirective(facts, onLine, LINE_DIRECTIVE, code) ?? undefined;
  const above = facts.comments.find(
    (comment) => comment.line === line - 1 && comment.standalone && LINE_DIRECTIVE.test(source.slice(comment.from, comment.to)),
  );
  if (above) return extendDirective(facts, above, LINE_DIRECTIVE, code) ?? undefined;
  const firstCode = lineStart + indentOf(source, facts.lines, line).length;
  if (stringSpanning(facts.tree, firstCode) || stringSpanning(facts.tree, lineStart)) return undefined;
  const position = { line, column: 0 };
  return { range: { start: position, end: position }, newText: `${indentOf(source, facts.lines, line)}# alembic-workbench: ignore[${code}]${facts.eol}` };
}

/**
 * "Ignore <code> in this file": extends an existing `ignore-file[...]` comment, else inserts one on
 * its own line after the module docstring and the imports at the top of the file.
 */
export function ignoreInFileEdit(source: string, codeOrName: string): TextEdit | undefined {
  const code = findRule(codeOrName)?.code ?? codeOrName;
  const facts = factsOf(source);
  if (!facts) return undefined;
  const existing = facts.comments.find((comment) => FILE_DIRECTIVE.test(source.slice(comment.from, comment.to)));
  if (existing) return extendDirective(facts, existing, FILE_DIRECTIVE, code) ?? undefined;
  let afterOffset: number | undefined;
  let first = true;
  for (let statement = facts.tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (statement.name === 'Comment') continue;
    const isDocstring = first && statement.name === 'ExpressionStatement' && /^(String|ContinuedString)$/.test(statement.firstChild?.name ?? '');
    first = false;
    if (isDocstring || statement.name === 'ImportStatement') afterOffset = statement.to;
    else break;
  }
  const directive = `# alembic-workbench: ignore-file[${code}]`;
  if (afterOffset === undefined) return { range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, newText: `${directive}${facts.eol}` };
  const line = facts.lines.position(afterOffset).line;
  if (line + 1 >= facts.lines.lineCount) {
    // The imports end the file: add the comment on a new last line.
    const end = facts.lines.position(source.length);
    return { range: { start: end, end }, newText: `${source.endsWith('\n') ? '' : facts.eol}${directive}${facts.eol}` };
  }
  const position = { line: line + 1, column: 0 };
  return { range: { start: position, end: position }, newText: `${directive}${facts.eol}` };
}
