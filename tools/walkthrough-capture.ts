import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

// The README's "safe edit" walkthrough, captured from the built server on its embedded sandbox so
// the JSON a newcomer reads is what the server really answers: tools/walkthrough.ts writes it into
// the README, test/e2e/walkthrough.test.ts checks the README still matches a fresh capture.

export const WALKTHROUGH_START = '<!-- walkthrough:start -->';
export const WALKTHROUGH_END = '<!-- walkthrough:end -->';

/** One tool call of the walkthrough: what was sent and what came back. */
export interface WalkthroughStep {
  heading: string;
  note: string;
  tool: string;
  args: Record<string, unknown>;
  isError: boolean;
  /** structuredContent, or the error JSON of an error result. */
  result: Record<string, unknown>;
}

// FlowCMS: synchronous writes and an unpublish that revert_post can undo (the other providers either
// apply writes in the background, cannot edit an unpublished post, or can only delete).
const POST_ID = 'post_a8f3k29d1';
const NEW_TITLE = 'Getting Started with Lumen Dashboards in 5 Minutes';

/** Runs get → dry run → write → confirm → history → revert against `node <entry> --sandbox` over stdio. */
export async function captureWalkthrough(entry: string): Promise<WalkthroughStep[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pe-walkthrough-'));
  const env: Record<string, string> = { LOG_LEVEL: 'error', POST_EDITOR_DATA_DIR: dataDir };
  for (const k of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP']) {
    const value = process.env[k];
    if (value) env[k] = value;
  }
  const client = new Client({ name: 'walkthrough', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [entry, '--sandbox'],
      env,
      stderr: 'ignore',
    }),
  );
  const steps: WalkthroughStep[] = [];
  const call = async (heading: string, note: string, tool: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
    const first = r.content[0];
    const result = r.isError
      ? (JSON.parse(first?.type === 'text' ? first.text : '{}') as Record<string, unknown>)
      : (r.structuredContent as Record<string, unknown>);
    steps.push({ heading, note, tool, args, isError: r.isError === true, result });
    return result;
  };
  const versionOf = (result: Record<string, unknown>, what: string): string => {
    const post = (result.post ?? result) as { version?: unknown };
    if (typeof post.version !== 'string') throw new Error(`${what}: no version in ${JSON.stringify(result)}`);
    return post.version;
  };
  try {
    const id = POST_ID;
    const read = await call(
      '1. Read the post',
      'The normalized post; its `version` is what a write must quote as `expected_version`.',
      'flowcms_get_post',
      { id },
    );
    const v1 = versionOf(read, 'get');
    await call(
      '2. Preview the change',
      '`dry_run: true` reads the post and returns the field-level diff and the exact request ' +
        '(credentials left out; the URL is the sandbox emulator’s), without writing.',
      'flowcms_update_post',
      { id, title: NEW_TITLE, expected_version: v1, dry_run: true },
    );
    const written = await call(
      '3. Write it',
      'The same call without `dry_run`. The previous values were journaled before the request left; ' +
        'the answer carries the post as the provider returned it and a `journal_id`.',
      'flowcms_update_post',
      { id, title: NEW_TITLE, expected_version: v1 },
    );
    const v2 = versionOf(written, 'update');
    const asked = await call(
      '4. Unpublish: the server asks for confirmation',
      'Unpublishing is destructive. The first call changes nothing: it answers `confirmation_required` ' +
        '(an error result) with a preview to show the person and a `confirm_token` bound to this tool, post, ' +
        'version and arguments, valid 10 minutes.',
      'flowcms_unpublish_post',
      { id, expected_version: v2 },
    );
    const token = (asked.error as { confirm_token?: unknown } | undefined)?.confirm_token;
    if (typeof token !== 'string') throw new Error(`no confirm_token in ${JSON.stringify(asked)}`);
    await call(
      '5. Confirm',
      'Once the person agrees, the same call with `confirm_token` performs it.',
      'flowcms_unpublish_post',
      { id, expected_version: v2, confirm_token: token },
    );
    const history = await call(
      '6. Look at the history',
      '`post_history` lists the journal, newest first: what each write changed, before and after.',
      'post_history',
      { provider: 'flowcms', post_id: id },
    );
    const entries = history.entries as { journal_id: string; tool: string }[];
    const unpublish = entries.find((e) => e.tool === 'flowcms_unpublish_post');
    if (!unpublish) throw new Error(`no unpublish entry in ${JSON.stringify(history)}`);
    const current = await call(
      '7. Read the current version',
      '`revert_post` is a write like any other: it quotes the version the post has now, so read it first ' +
        '(time passes between an unpublish and its undo, and someone else may have edited the post).',
      'flowcms_get_post',
      { id },
    );
    await call(
      '8. Revert the unpublish',
      '`revert_post` re-applies the entry’s previous values through the update tool; it is itself journaled, ' +
        'and `reverts` in its history entry names the entry it undid.',
      'revert_post',
      { journal_id: unpublish.journal_id, expected_version: versionOf(current, 'get') },
    );
    return steps;
  } finally {
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** JSON on one line, with a space after each comma and colon. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * JSON with every object or array that fits in `width` columns on one line, and everything nested
 * deeper than `depth` on one line whatever its length (the answers repeat the post: one line each).
 */
export function formatJson(value: unknown, width = 100, depth = Infinity, indent = ''): string {
  const flat = inlineJson(value);
  if (value === null || typeof value !== 'object' || depth <= 0 || indent.length + flat.length <= width) {
    return flat;
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    return `[\n${value.map((v) => inner + formatJson(v, width, depth - 1, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).map(
    ([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, width - k.length - 4, depth - 1, inner)}`,
  );
  return `{\n${entries.join(',\n')}\n${indent}}`;
}

// How deep each answer is laid out: the first read in full, later copies of the post on one line.
const depthOf = (step: WalkthroughStep, index: number): number =>
  index === 0
    ? Infinity
    : step.tool === 'post_history' || step.isError
      ? 2
      : step.tool.endsWith('_get_post')
        ? 0
        : 1;

/** The walkthrough as Markdown: per step a heading with the call, a note, and the answer as a JSON block. */
export function renderWalkthrough(steps: WalkthroughStep[]): string {
  const out = [
    '<!-- Generated by `npm run walkthrough` from the built server on its sandbox; do not edit by hand. -->',
    '',
  ];
  steps.forEach((step, i) => {
    out.push(
      `**${step.heading}** — \`${step.tool}\` \`${inlineJson(step.args)}\`<br>`,
      step.note,
      '',
      '```json',
      formatJson(step.result, 100, depthOf(step, i)),
      '```',
      '',
    );
  });
  return out.join('\n').trimEnd();
}

/** README text with the walkthrough section replaced (throws if the markers are missing). */
export function replaceWalkthrough(readme: string, section: string): string {
  const start = readme.indexOf(WALKTHROUGH_START);
  const end = readme.indexOf(WALKTHROUGH_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${WALKTHROUGH_START} markers`);
  return `${readme.slice(0, start + WALKTHROUGH_START.length)}\n\n${section}\n\n${readme.slice(end)}`;
}

/** The calls and answers shown between the README's walkthrough markers. */
export function parseWalkthrough(
  readme: string,
): { tool: string; args: Record<string, unknown>; answer: Record<string, unknown> }[] {
  const start = readme.indexOf(WALKTHROUGH_START);
  const end = readme.indexOf(WALKTHROUGH_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${WALKTHROUGH_START} markers`);
  const section = readme.slice(start, end);
  return [
    ...section.matchAll(/^\*\*.+?\*\* — `([a-z0-9_]+)` `(\{.*\})`<br>$[\s\S]*?```json\n([\s\S]*?)\n```/gm),
  ].map((m) => ({
    tool: m[1]!,
    args: JSON.parse(m[2]!) as Record<string, unknown>,
    answer: JSON.parse(m[3]!) as Record<string, unknown>,
  }));
}

/** The section with every JSON value masked: two captures that differ only in run-specific values are equal. */
export function walkthroughSkeleton(section: string): string {
  const mask = (json: string) => JSON.stringify(maskVolatile(JSON.parse(json)));
  return section
    .replace(/`(\{.*\})`<br>$/gm, (_, json: string) => `\`${mask(json)}\`<br>`)
    .replace(/```json\n([\s\S]*?)\n```/g, (_, json: string) => '```json\n' + mask(json) + '\n```');
}

// Values that differ on every run: versions, tokens, journal ids, times (the sandbox seeds its posts
// relative to now) and the emulator's ephemeral port.
const VOLATILE = new Set([
  'version',
  'expected_version',
  'version_before',
  'current_version',
  'confirm_token',
  'expires_at',
  'journal_id',
  'reverts',
  'at',
  'published_at',
  'updated_at',
  'scheduled_at',
  'created_ts',
]);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The value with every run-specific field replaced by its JSON type, for comparing two captures. */
export function maskVolatile(value: unknown, key = ''): unknown {
  if (VOLATILE.has(key) && value !== null) return `<${typeof value}>`;
  // Any other timestamp too (created_at in fields…): the seeds move with the clock's hour.
  if (typeof value === 'string' && ISO_TIME.test(value)) return '<time>';
  if (typeof value === 'string')
    return value.replace(/^http:\/\/127\.0\.0\.1:\d+\//, 'http://127.0.0.1:PORT/');
  if (Array.isArray(value)) return value.map((v) => maskVolatile(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskVolatile(v, k)]));
  }
  return value;
}
