import { diffArrays, diffWordsWithSpace } from 'diff';
import { htmlToText, looksLikeHtml, markdownToText } from './render-text.js';

/** A run of text in a diff. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** How one changed field is shown: word-level, rendered-text (with its source), list items, or before/after. */
export type FieldDiff =
  | { field: string; kind: 'text'; parts: DiffPart[] }
  | {
      field: string;
      kind: 'rendered';
      format: 'html' | 'markdown';
      parts: DiffPart[];
      /** Word diff of the markup itself: a change a reader cannot see (a link target, a script) shows here. */
      source: DiffPart[];
      /** The rendered text is the same: only markup changed. */
      markupOnly: boolean;
    }
  | { field: string; kind: 'list'; items: DiffPart[] }
  | { field: string; kind: 'value'; before: string; after: string };

/** What the post tells us about its body, to pick the rendered-text diff for it. */
export interface BodyHint {
  format: 'html' | 'markdown' | 'text' | null;
  /** The body as the provider holds it now (the field whose value matches is the body). */
  value: string | null;
}

const BODY_FIELDS = new Set(['body', 'content', 'text', 'html', 'markdown']);
// Past this many edits (or this much time) a word diff costs more than it explains: before/after
// instead. Both bound the CPU one page view can take, whatever a post holds.
const MAX_EDIT_LENGTH = 1500;
const DIFF_TIMEOUT_MS = 150;

/** The readable diff of every field a journal entry changed, in the entry's field order. */
export function diffEntryFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  body?: BodyHint,
): FieldDiff[] {
  const fields = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return fields.map((field) => diffField(field, before[field] ?? null, after[field] ?? null, body));
}

/** One field's diff. */
export function diffField(field: string, before: unknown, after: unknown, body?: BodyHint): FieldDiff {
  if (isStringOrNull(before) && isStringOrNull(after) && (before !== null || after !== null)) {
    const a = before ?? '';
    const b = after ?? '';
    const format = markupFormat(field, a, b, body);
    if (format) {
      const toText = format === 'html' ? htmlToText : markdownToText;
      const [textA, textB] = [toText(a), toText(b)];
      const parts = words(textA, textB);
      const source = markupTokens(a, b);
      if (parts && source) {
        return { field, kind: 'rendered', format, parts, source, markupOnly: textA === textB };
      }
    } else if (!isShortToken(a) || !isShortToken(b)) {
      const parts = words(a, b);
      if (parts) return { field, kind: 'text', parts };
    }
  }
  const changes =
    isStringList(before) && isStringList(after)
      ? diffArrays(before ?? [], after ?? [], { maxEditLength: MAX_EDIT_LENGTH, timeout: DIFF_TIMEOUT_MS })
      : undefined;
  if (changes) {
    const items: DiffPart[] = [];
    for (const change of changes) {
      const kind = change.added ? 'added' : change.removed ? 'removed' : 'same';
      for (const text of change.value) items.push({ kind, text });
    }
    return { field, kind: 'list', items };
  }
  return { field, kind: 'value', before: show(before), after: show(after) };
}

function markupFormat(field: string, a: string, b: string, body?: BodyHint): 'html' | 'markdown' | null {
  const isBody =
    body !== undefined &&
    (BODY_FIELDS.has(field.toLowerCase()) || (body.value !== null && (body.value === a || body.value === b)));
  if (isBody && (body.format === 'html' || body.format === 'markdown')) return body.format;
  return looksLikeHtml(a) || looksLikeHtml(b) ? 'html' : null;
}

function words(a: string, b: string): DiffPart[] | undefined {
  const changes = diffWordsWithSpace(a, b, { maxEditLength: MAX_EDIT_LENGTH, timeout: DIFF_TIMEOUT_MS });
  if (!changes) return undefined;
  return changes.map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}

/** A diff of markup where a whole tag (with its attributes) is one token, so a changed href reads as one change. */
function markupTokens(a: string, b: string): DiffPart[] | undefined {
  const split = (text: string) => text.match(/<[^>]*>?|[^<\s]+|\s+/g) ?? [];
  const changes = diffArrays(split(a), split(b), {
    maxEditLength: MAX_EDIT_LENGTH,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (!changes) return undefined;
  return changes.map((c) => ({
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value.join(''),
  }));
}

/** A value such as a status, a slug or a time: shown as before → after rather than word by word. */
function isShortToken(text: string): boolean {
  return text.length <= 40 && !/\s/.test(text);
}

function isStringOrNull(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function isStringList(value: unknown): value is string[] | null {
  return value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** A value as the page prints it: strings bare, empty as an em dash, the rest as indented JSON. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value, null, 2);
}
