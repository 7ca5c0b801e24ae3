// The Revision Graph inside its webview: plain DOM and SVG, no framework. It draws the scene the
// extension sends (src/core/revisions/graphScene.ts, in grid units) at the current zoom, keeping only
// the rows in view (plus a margin) in the DOM so 5000 revisions scroll like 50. Every action goes
// back to the extension as a message (graphProtocol.ts), which validates it and runs our commands.
import {
  applySceneRows,
  decodeScene,
  type CardAction,
  type CardState,
  type GraphDecorationsMessage,
  type GraphSceneMessage,
  type GraphSceneRowsMessage,
  type GraphViewState,
  type HostMessage,
  type LintCounts,
  type ViewNode,
  type ViewScene,
  type WebviewMessage,
  type WireScene,
} from '../graphProtocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): GraphViewState | undefined;
  setState(state: GraphViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG_NS = 'http://www.w3.org/2000/svg';
/** Base sizes at zoom 1 (pixels). The card is 0.7 rows tall, as the layout tests assume. */
const ROW_HEIGHT = 64;
const LANE_WIDTH = 20;
const TRACK_WIDTH = 10;
const CARD_WIDTH = 420;
const CARD_HEIGHT_RATIO = 0.7;
const OVERSCAN_ROWS = 6;
const MIN_ZOOM = 0.3;
const MAX_ZOOM = 2;
const LANE_COLOURS = 6;

const saved = vscode.getState();
let scene: ViewScene | undefined;
/** The scene as it arrived, which row updates apply to. */
let wireScene: WireScene | undefined;
let sceneVersion = -1;
let shortIds = new Map<string, string>();
let readOnly = true;
let projectLabel = '';
let projectId = saved?.projectId;
let decorations: GraphDecorationsMessage = { type: 'decorations', lint: {} };
let zoom = saved?.zoom ?? 1;
let selectedId: string | undefined = saved?.selected;
let pendingScrollTop: number | undefined = saved?.scrollTop;
let matches: number[] = [];
let matchIndex = -1;
let query = '';
let renderQueued = false;

const viewport = element('div', { id: 'viewport', tabindex: '-1' });
const spacer = element('div', { class: 'spacer' });
const edges = document.createElementNS(SVG_NS, 'svg');
edges.setAttribute('class', 'edges');
edges.setAttribute('aria-hidden', 'true');
const cards = element('div', { class: 'cards', role: 'listbox', 'aria-label': 'Revisions, newest first' });
spacer.append(edges, cards);
viewport.append(spacer);

const toolbar = element('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Revision Graph' });
const title = element('span', { class: 'title' });
const search = element('input', { type: 'search', placeholder: 'Search id, message, label', 'aria-label': 'Search revisions by id, message or branch label' }) as HTMLInputElement;
const matchCount = element('span', { class: 'match-count', 'aria-live': 'polite' });
const zoomOut = button('−', 'Zoom out', () => setZoom(zoom / 1.25));
const zoomIn = button('+', 'Zoom in', () => setZoom(zoom * 1.25));
const fit = button('Fit', 'Fit the graph to the window', fitToWindow);
const databaseLine = element('span', { class: 'database-line' });
toolbar.append(title, search, matchCount, zoomOut, zoomIn, fit, databaseLine);
const banner = element('div', { class: 'banner', role: 'status', hidden: '' });
const menu = element('div', { class: 'menu', role: 'menu', hidden: '' });
document.body.append(toolbar, banner, viewport, menu);

function element(tag: string, attributes: Record<string, string> = {}, text?: string): HTMLElement {
  const created = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) created.setAttribute(name, value);
  if (text !== undefined) created.textContent = text;
  return created;
}

function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const created = element('button', { type: 'button', 'aria-label': label, title: label }, text) as HTMLButtonElement;
  created.addEventListener('click', onClick);
  return created;
}

// ------------------------------------------------------------------------------------------------
// Geometry (grid units -> pixels at the current zoom)

function gutterWidth(): number {
  return ((scene?.trackCount ?? 0) * TRACK_WIDTH + LANE_WIDTH) * zoom;
}
function laneX(lane: number): number {
  return gutterWidth() + lane * LANE_WIDTH * zoom;
}
function trackX(track: number): number {
  return gutterWidth() - (track + 1) * TRACK_WIDTH * zoom;
}
function rowY(row: number): number {
  return (row + 0.5) * ROW_HEIGHT * zoom;
}
function cardLeft(node: ViewNode): number {
  return laneX(node.cardLane) - (LANE_WIDTH * zoom) / 2;
}

// ------------------------------------------------------------------------------------------------
// Rendering

function queueRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render(): void {
  if (!scene) return;
  const rowHeight = ROW_HEIGHT * zoom;
  const widest = scene.nodes.reduce((most, node) => Math.max(most, cardLeft(node)), 0) + CARD_WIDTH * zoom + LANE_WIDTH;
  spacer.style.height = `${scene.nodes.length * rowHeight}px`;
  spacer.style.width = `${widest}px`;
  if (pendingScrollTop !== undefined) {
    viewport.scrollTop = pendingScrollTop;
    pendingScrollTop = undefined;
  }
  const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - OVERSCAN_ROWS);
  const last = Math.min(scene.nodes.length - 1, Math.ceil((viewport.scrollTop + viewport.clientHeight) / rowHeight) + OVERSCAN_ROWS);
  renderEdges(first, last);
  renderCards(first, last);
}

function renderEdges(first: number, last: number): void {
  if (!scene) return;
  const top = first * ROW_HEIGHT * zoom;
  const height = (last - first + 1) * ROW_HEIGHT * zoom;
  edges.setAttribute('width', String(spacer.style.width.replace('px', '')));
  edges.setAttribute('height', String(height));
  edges.style.top = `${top}px`;
  const parts: SVGElement[] = [];
  const shift = (y: number) => y - top;
  for (const segment of scene.segments) {
    if (segment.fromRow < first - 1 || segment.fromRow > last) continue;
    const x1 = laneX(segment.fromLane);
    const x2 = laneX(segment.toLane);
    const y1 = shift(rowY(segment.fromRow));
    const y2 = shift(rowY(segment.fromRow + 1));
    const middle = (y1 + y2) / 2;
    const d = x1 === x2 ? `M${x1} ${y1}V${y2}` : `M${x1} ${y1}C${x1} ${middle} ${x2} ${middle} ${x2} ${y2}`;
    const lane = segment.kind === 'merge' || x1 === x2 ? segment.toLane : segment.fromLane;
    parts.push(path(d, `edge ${segment.kind} lane-${lane % LANE_COLOURS}`));
  }
  for (const route of scene.routes) {
    if (Math.max(route.fromRow, route.toRow) < first || Math.min(route.fromRow, route.toRow) > last) continue;
    const gutter = trackX(route.track);
    const y1 = shift(rowY(route.fromRow));
    const y2 = shift(rowY(route.toRow));
    parts.push(path(`M${laneX(route.fromLane)} ${y1}H${gutter}V${y2}H${laneX(route.toLane)}`, `route ${route.kind}`));
  }
  for (let row = first; row <= last; row++) {
    const node = scene.nodes[row];
    const dot = document.createElementNS(SVG_NS, 'circle');
    dot.setAttribute('cx', String(laneX(node.lane)));
    dot.setAttribute('cy', String(shift(rowY(row))));
    dot.setAttribute('r', String(Math.max(3, 5 * zoom)));
    dot.setAttribute('class', `dot lane-${node.lane % LANE_COLOURS}${node.kind === 'ghost' ? ' ghost' : ''}${node.isMergePoint ? ' merge' : ''}`);
    parts.push(dot);
  }
  edges.replaceChildren(...parts);
}

function path(d: string, className: string): SVGPathElement {
  const created = document.createElementNS(SVG_NS, 'path');
  created.setAttribute('d', d);
  created.setAttribute('class', className);
  return created;
}

const STATE_WORDS: Record<CardState, string> = { applied: 'applied', current: 'current', pending: 'pending', unknown: 'unknown to the database' };

function badgesOf(node: ViewNode): string[] {
  const badges: string[] = [];
  if (node.kind === 'ghost') badges.push('MISSING');
  if (node.isHead) badges.push('HEAD');
  if (node.isMergePoint) badges.push('MERGE');
  if (node.broken && node.kind === 'revision') badges.push('BROKEN');
  if (node.duplicateCount > 0) badges.push(`DUPLICATE ×${node.duplicateCount}`);
  if (node.inCycle) badges.push('CYCLE');
  return badges;
}

function accessibleName(node: ViewNode): string {
  if (node.kind === 'ghost') return `Missing revision ${node.id}, referenced by ${node.referencedBy.join(', ')}`;
  const parts = [`Revision ${node.id}`, node.message || 'no message'];
  const badges = badgesOf(node).map((badge) => badge.toLowerCase());
  if (badges.length) parts.push(badges.join(', '));
  if (node.branchLabels.length) parts.push(`labels ${node.branchLabels.join(', ')}`);
  const state = decorations.database?.states[node.id];
  if (state) parts.push(STATE_WORDS[state]);
  const lint = decorations.lint[node.id];
  if (lint && (lint.error || lint.warning)) parts.push(lintWords(lint));
  return parts.join('; ');
}

function lintWords(lint: LintCounts): string {
  return `${lint.error} error${lint.error === 1 ? '' : 's'}, ${lint.warning} warning${lint.warning === 1 ? '' : 's'}`;
}

function renderCards(first: number, last: number): void {
  if (!scene) return;
  const rowHeight = ROW_HEIGHT * zoom;
  const cardHeight = rowHeight * CARD_HEIGHT_RATIO;
  const fresh: HTMLElement[] = [];
  const matchSet = new Set(matches.map((row) => scene?.nodes[row].id));
  for (let row = first; row <= last; row++) {
    const node = scene.nodes[row];
    const card = element('div', {
      class: `card ${node.kind}${node.broken ? ' broken' : ''}${node.id === selectedId ? ' selected' : ''}${matchSet.has(node.id) ? ' match' : ''}`,
      role: 'option',
      id: cardDomId(node),
      'aria-selected': String(node.id === selectedId),
      'aria-label': accessibleName(node),
      'data-row': String(row),
      tabindex: node.id === selectedId ? '0' : '-1',
    });
    card.style.top = `${rowY(row) - cardHeight / 2}px`;
    card.style.left = `${cardLeft(node)}px`;
    card.style.width = `${CARD_WIDTH * zoom}px`;
    card.style.height = `${cardHeight}px`;
    card.style.fontSize = `${Math.round(12 * Math.max(zoom, 0.6))}px`;
    const head = element('div', { class: 'card-head' });
    head.append(element('span', { class: 'short-id' }, node.shortId));
    for (const badge of badgesOf(node)) head.append(element('span', { class: `badge badge-${badge.split(' ')[0].toLowerCase()}` }, badge));
    for (const label of node.branchLabels) head.append(element('span', { class: 'label' }, label));
    const state = decorations.database?.states[node.id];
    if (state && node.kind === 'revision') head.append(element('span', { class: `state state-${state}`, title: `${decorations.database?.targetName}: ${STATE_WORDS[state]}` }, state));
    const lint = decorations.lint[node.id];
    if (lint && (lint.error > 0 || lint.warning > 0)) {
      const findings = element('button', { type: 'button', class: 'lint', title: `${lintWords(lint)}: show the findings`, tabindex: '-1' });
      findings.append(element('span', { class: 'lint-errors' }, `✖ ${lint.error}`), element('span', { class: 'lint-warnings' }, `⚠ ${lint.warning}`));
      findings.addEventListener('click', (event) => {
        event.stopPropagation();
        post({ type: 'cardAction', action: 'showFindings', revision: node.id });
      });
      head.append(findings);
    }
    const more = element('button', { type: 'button', class: 'more', 'aria-label': `Actions for ${node.id}`, title: 'Actions', tabindex: '-1' }, '⋯');
    more.addEventListener('click', (event) => {
      event.stopPropagation();
      select(row, false);
      // Selecting re-rendered the cards: anchor the menu on the new card's button.
      openMenu(node, cards.querySelector<HTMLElement>(`[data-row="${row}"] button.more`) ?? more);
    });
    head.append(more);
    const message =
      node.kind === 'ghost'
        ? `No revision has this id; referenced by ${node.referencedBy.map(shortId).join(', ')}`
        : node.message || '(no message)';
    card.append(head, element('div', { class: 'message', title: message }, message));
    card.addEventListener('click', () => select(row, true));
    card.addEventListener('dblclick', () => runAction('open', node));
    card.addEventListener('contextmenu', (event) => {
      event.preventDefault();
      select(row, false);
      openMenu(node, card, event.clientX, event.clientY);
    });
    fresh.push(card);
  }
  const hadFocus = cards.contains(document.activeElement);
  cards.replaceChildren(...fresh);
  if (hadFocus) focusSelectedCard();
}

function cardDomId(node: ViewNode): string {
  return `card-${node.kind}-${node.row}`;
}

// ------------------------------------------------------------------------------------------------
// Selection, keyboard, search, zoom

function selectedRow(): number {
  if (!scene || selectedId === undefined) return -1;
  return scene.nodes.findIndex((node) => node.id === selectedId);
}

function select(row: number, focus: boolean): void {
  if (!scene || row < 0 || row >= scene.nodes.length) return;
  selectedId = scene.nodes[row].id;
  scrollRowIntoView(row);
  render();
  if (focus) focusSelectedCard();
  saveState();
}

function focusSelectedCard(): void {
  const row = selectedRow();
  const card = row >= 0 ? cards.querySelector<HTMLElement>(`[data-row="${row}"]`) : null;
  card?.focus({ preventScroll: true });
}

function scrollRowIntoView(row: number): void {
  const y = rowY(row);
  const margin = ROW_HEIGHT * zoom;
  if (y - margin < viewport.scrollTop) viewport.scrollTop = Math.max(0, y - margin);
  else if (y + margin > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = y + margin - viewport.clientHeight;
}

function centreRow(row: number): void {
  viewport.scrollTop = Math.max(0, rowY(row) - viewport.clientHeight / 2);
}

viewport.addEventListener('scroll', () => {
  queueRender();
  saveState();
});
window.addEventListener('resize', queueRender);

cards.addEventListener('keydown', (event) => {
  if (!scene) return;
  const row = Math.max(0, selectedRow());
  const page = Math.max(1, Math.floor(viewport.clientHeight / (ROW_HEIGHT * zoom)) - 1);
  const node = scene.nodes[row];
  const moves: Record<string, number> = { ArrowDown: row + 1, ArrowUp: row - 1, PageDown: row + page, PageUp: row - page, Home: 0, End: scene.nodes.length - 1 };
  if (event.key in moves) {
    event.preventDefault();
    select(Math.min(scene.nodes.length - 1, Math.max(0, moves[event.key])), true);
  } else if (event.key === 'Enter' && node) {
    event.preventDefault();
    runAction('open', node);
  } else if ((event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) && node) {
    event.preventDefault();
    const card = cards.querySelector<HTMLElement>(`[data-row="${row}"]`);
    if (card) openMenu(node, card);
  }
});

document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key === 'f') {
    event.preventDefault();
    search.focus();
    search.select();
  } else if ((event.ctrlKey || event.metaKey) && (event.key === '=' || event.key === '+')) {
    event.preventDefault();
    setZoom(zoom * 1.25);
  } else if ((event.ctrlKey || event.metaKey) && event.key === '-') {
    event.preventDefault();
    setZoom(zoom / 1.25);
  }
});

search.addEventListener('input', () => {
  query = search.value.trim().toLowerCase();
  findMatches();
  if (matches.length > 0) {
    matchIndex = 0;
    updateMatchCount();
    select(matches[0], false);
  } else render();
});
search.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && matches.length > 0) {
    event.preventDefault();
    matchIndex = (matchIndex + (event.shiftKey ? matches.length - 1 : 1)) % matches.length;
    select(matches[matchIndex], false);
    updateMatchCount();
  } else if (event.key === 'Escape') {
    search.value = '';
    query = '';
    findMatches();
    render();
    focusSelectedCard();
  } else if (event.key === 'ArrowDown') {
    event.preventDefault();
    focusSelectedCard();
  }
});

function findMatches(): void {
  matches = [];
  matchIndex = -1;
  if (scene && query) {
    scene.nodes.forEach((node, row) => {
      const text = [node.id, node.message, ...node.branchLabels].join('\n').toLowerCase();
      if (text.includes(query)) matches.push(row);
    });
  }
  updateMatchCount();
}

function updateMatchCount(): void {
  matchCount.textContent = query ? (matches.length === 0 ? 'No match' : `${matchIndex + 1} of ${matches.length}`) : '';
}

function setZoom(next: number): void {
  const anchorRow = viewport.scrollTop / (ROW_HEIGHT * zoom);
  zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
  viewport.scrollTop = anchorRow * ROW_HEIGHT * zoom;
  render();
  saveState();
}

/** The whole history when it fits at a readable zoom, else the full width of lanes and cards. */
function fitToWindow(): void {
  if (!scene) return;
  const byHeight = viewport.clientHeight / (scene.nodes.length * ROW_HEIGHT);
  const widestAtOne = scene.nodes.reduce((most, node) => Math.max(most, node.cardLane), 0) * LANE_WIDTH + scene.trackCount * TRACK_WIDTH + CARD_WIDTH + 2 * LANE_WIDTH;
  const byWidth = viewport.clientWidth / widestAtOne;
  setZoom(Math.min(byWidth, Math.max(byHeight, MIN_ZOOM)));
}

function saveState(): void {
  vscode.setState({ projectId, zoom, selected: selectedId, scrollTop: viewport.scrollTop });
}

// ------------------------------------------------------------------------------------------------
// The card menu

interface MenuEntry {
  label: string;
  action: CardAction | 'mergeHeads';
  /** For repoint: the missing id, and the revision whose file names it. */
  missing?: string;
  revision?: string;
}

function menuEntries(node: ViewNode): MenuEntry[] {
  if (node.kind === 'ghost') {
    if (readOnly) return [];
    return node.referencedBy.map((referrer) => ({ label: `Re-point ${shortId(referrer)} to another revision…`, action: 'repoint', missing: node.id, revision: referrer }));
  }
  const entries: MenuEntry[] = [{ label: 'Open File', action: 'open' }];
  if (!readOnly) entries.push({ label: 'Upgrade to Here', action: 'upgrade' }, { label: 'Downgrade to Here', action: 'downgrade' }, { label: 'Show SQL', action: 'showSql' });
  entries.push({ label: 'Copy Revision Id', action: 'copyId' });
  const lint = decorations.lint[node.id];
  if (lint && (lint.error > 0 || lint.warning > 0)) entries.push({ label: `Show Findings (${lintWords(lint)})`, action: 'showFindings' });
  if (!readOnly) {
    for (const missing of [...node.missingParents, ...node.missingDependencies]) entries.push({ label: `Re-point '${missing}' to another revision…`, action: 'repoint', missing });
    if (node.isHead && (scene?.heads.length ?? 0) > 1) entries.push({ label: 'Merge Heads…', action: 'mergeHeads' });
  }
  return entries;
}

let menuReturnFocus: HTMLElement | undefined;

function openMenu(node: ViewNode, anchor: HTMLElement, x?: number, y?: number): void {
  const entries = menuEntries(node);
  menu.replaceChildren();
  menu.setAttribute('aria-label', `Actions for ${node.kind === 'ghost' ? 'missing revision' : 'revision'} ${node.id}`);
  if (entries.length === 0) menu.append(element('div', { class: 'menu-empty', role: 'none' }, readOnly ? 'Read-only in Restricted Mode' : 'No actions'));
  for (const entry of entries) {
    const item = element('button', { type: 'button', role: 'menuitem', tabindex: '-1' }, entry.label);
    item.addEventListener('click', () => {
      closeMenu();
      if (entry.action === 'mergeHeads') post({ type: 'mergeHeads' });
      else if (entry.action === 'repoint' && entry.missing) post({ type: 'cardAction', action: 'repoint', revision: entry.revision ?? node.id, missing: entry.missing });
      else runAction(entry.action, node);
    });
    menu.append(item);
  }
  const box = anchor.getBoundingClientRect();
  menu.hidden = false;
  const left = Math.min(x ?? box.right - 8, window.innerWidth - menu.offsetWidth - 4);
  const top = Math.min(y ?? box.top + 24, window.innerHeight - menu.offsetHeight - 4);
  menu.style.left = `${Math.max(0, left)}px`;
  menu.style.top = `${Math.max(0, top)}px`;
  menuReturnFocus = anchor.classList.contains('card') ? anchor : (anchor.closest('.card') as HTMLElement | null) ?? undefined;
  menu.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
}

function closeMenu(): void {
  if (menu.hidden) return;
  menu.hidden = true;
  if (menuReturnFocus?.isConnected) menuReturnFocus.focus();
  else focusSelectedCard();
}

menu.addEventListener('keydown', (event) => {
  const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const at = items.indexOf(document.activeElement as HTMLElement);
  if (event.key === 'Escape' || event.key === 'Tab') {
    event.preventDefault();
    closeMenu();
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    event.preventDefault();
    const next = (at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
    items[next]?.focus();
  }
});
document.addEventListener('mousedown', (event) => {
  if (!menu.hidden && !menu.contains(event.target as Node)) closeMenu();
});

function runAction(action: CardAction, node: ViewNode): void {
  if (node.kind === 'ghost') return;
  post({ type: 'cardAction', action, revision: node.id });
}

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

// ------------------------------------------------------------------------------------------------
// Messages from the extension

function shortId(id: string): string {
  return shortIds.get(id) ?? id;
}

/** Tells the extension what is on screen now (the tests wait on it). */
function reportShown(): void {
  const selected = selectedId;
  post(selected === undefined ? { type: 'shown', version: sceneVersion, scrollTop: viewport.scrollTop } : { type: 'shown', version: sceneVersion, selected, scrollTop: viewport.scrollTop });
}

function showScene(message: GraphSceneMessage): void {
  wireScene = message.scene;
  scene = decodeScene(message.scene);
  sceneVersion = message.version;
  shortIds = new Map(scene.nodes.map((node) => [node.id, node.shortId]));
  readOnly = message.readOnly;
  projectLabel = message.projectLabel;
  projectId = message.projectId;
  document.body.classList.toggle('read-only', readOnly);
  title.textContent = `${projectLabel}: ${scene.nodes.filter((node) => node.kind === 'revision').length} revisions, ${scene.heads.length} head${scene.heads.length === 1 ? '' : 's'}${readOnly ? ' (read-only: Restricted Mode)' : ''}`;
  banner.replaceChildren();
  banner.hidden = scene.heads.length < 2;
  if (scene.heads.length > 1) {
    banner.append(element('span', {}, `${scene.heads.length} heads: ${scene.heads.map(shortId).join(', ')}. Alembic's upgrade head needs one.`));
    if (!readOnly) banner.append(button('Merge Heads…', 'Merge all heads into one revision', () => post({ type: 'mergeHeads' })));
  }
  if (selectedId !== undefined && !scene.nodes.some((node) => node.id === selectedId)) selectedId = undefined;
  if (selectedId === undefined && scene.nodes.length > 0) selectedId = scene.nodes[0].id;
  findMatches();
  render();
  saveState();
  reportShown();
}

/** Only texts changed: the same rows, lanes and edges, so the viewport and selection stay as they are. */
function showSceneRows(message: GraphSceneRowsMessage): void {
  if (!scene || !wireScene) return;
  scene = applySceneRows(wireScene, scene, message.rows);
  sceneVersion = message.version;
  findMatches();
  render();
  reportShown();
}

function showDecorations(message: GraphDecorationsMessage): void {
  decorations = message;
  databaseLine.textContent = message.database ? `${message.database.targetName}: ${message.database.message}` : '';
  render();
}

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  if (message.type === 'scene') showScene(message);
  else if (message.type === 'sceneRows') showSceneRows(message);
  else if (message.type === 'decorations') showDecorations(message);
  else if (message.type === 'focus' && scene) {
    const row = scene.nodes.findIndex((node) => node.kind === 'revision' && node.id === message.revision);
    if (row >= 0) {
      selectedId = message.revision;
      centreRow(row);
      render();
      saveState();
      reportShown();
    }
  }
});

post({ type: 'ready' });
