import { z } from 'zod';
import { CannotAsk, type PersonQuestion } from '../core/ask.js';
import { ToolError } from '../core/errors.js';
import type { Post } from '../core/post.js';
import {
  CONFIRM_REFUSALS,
  CONFIRM_TTL_MS,
  type ConfirmBinding,
  type ConfirmVerdict,
  type FieldChange,
} from '../core/safety.js';
import type { ToolContext } from '../core/tool.js';
import type { WritePlan } from './types.js';
import type { WriteCall, WriteDeps, WriteResult } from './write.js';

/** Who confirms a destructive write: the person when the client can ask, else a token (auto). */
export type ConfirmVia = 'auto' | 'user' | 'token';

/** The `confirmation` block of a write result (dry run, refusal, decline or done). */
export type Confirmation = {
  status: 'required' | 'confirmed' | 'declined' | 'cancelled';
  by: 'user' | 'token';
  confirm_token?: string;
  expires_at?: string;
  preview?: Preview;
};

/**
 * As listed in every write tool's outputSchema: described, not spelled out (the spelled-out object
 * cost ~100 tokens a write tool in tools/list, ADR 0062); results are built as Confirmation.
 */
export const confirmationSchema = z
  .looseObject({})
  .describe(
    'destructive writes: status (required|confirmed|declined|cancelled), by (user|token), confirm_token',
  );

/** Everything the confirmation step knows about the write it holds back. */
export interface HeldWrite {
  /** What the write does, as a sentence for the person ("Unpublish this post"). */
  action: string;
  tool: string;
  binding: ConfirmBinding;
  post: Post;
  diff: Record<string, FieldChange>;
  warnings: string[];
  request: NonNullable<WriteResult['request']>;
}

/** Thrown inside the pipeline when a write needs a confirmation it does not have; handled by withConfirmation. */
export class ConfirmationNeeded extends Error {
  constructor(
    readonly held: HeldWrite,
    /** Why a given token or answer was not enough ('' when none was given). */
    readonly refusal = '',
    readonly verdict?: Exclude<ConfirmVerdict, 'ok'>,
  ) {
    super(refusal || `${held.action}: confirmation needed`);
    this.name = 'ConfirmationNeeded';
  }
}

/** Why this write needs confirmation under the policy (a sentence), or undefined when it does not. */
export function confirmationReason(call: WriteCall, plan: WritePlan, deps: WriteDeps): string | undefined {
  if (deps.policy.confirm === 'never') return undefined;
  if (call.op === 'unpublish') return 'Unpublish this post: it goes off the site';
  if (call.op === 'delete') return 'Delete this post: this cannot be undone';
  if (call.confirm) return 'Revert over later changes: this overwrites what was changed since';
  return plan.confirm;
}

/** What a confirmation is bound to: the tool, the post at this version, and exactly these arguments. */
function bindingFor(call: WriteCall, version: string): ConfirmBinding {
  // A forced revert binds the entry it reverts too, so its token confirms that revert and nothing else.
  const args = call.reverts ? { ...call.changes, reverts: call.reverts } : call.changes;
  return { tool: call.tool, id: call.id, version, args };
}

/** Whether agents confirm with tokens on this call (nobody can be asked, and the setting allows it). */
function byToken(deps: WriteDeps, ctx: ToolContext): boolean {
  const via = deps.policy.confirmVia;
  return via === 'token' || (via === 'auto' && ctx.ask === undefined);
}

// A token the person's answer carries is bound apart from agents' tokens, so one can never pass for the other.
const personBinding = (b: ConfirmBinding): ConfirmBinding => ({ ...b, tool: `${b.tool}#person` });

/** The expiry a token carries (`2.<key id>.<expiry>.…`, see ConfirmTokens). */
function expiresAt(token: string): string {
  const seconds = Number(token.split('.')[2]);
  return new Date(seconds * 1000).toISOString();
}

type Preview = {
  id: string;
  title: string | null;
  url: string | null;
  status: Post['status'];
  version: string;
};

function previewOf(post: Post): Preview {
  return { id: post.id, title: post.title, url: post.url, status: post.status, version: post.version };
}

/**
 * Checks the confirmation of a write the policy covers: returns who confirmed it, undefined when none
 * is needed, or throws ConfirmationNeeded (nothing has been sent).
 */
export function checkConfirmation(
  call: WriteCall,
  held: Omit<HeldWrite, 'action' | 'binding' | 'tool'>,
  plan: WritePlan,
  deps: WriteDeps,
): 'user' | 'token' | undefined {
  const action = confirmationReason(call, plan, deps);
  if (!action) return undefined;
  const binding = bindingFor(call, held.post.version);
  const full: HeldWrite = { ...held, action, tool: call.tool, binding };
  const tokens = deps.confirmTokens;
  if (call.person_token !== undefined) {
    const verdict = tokens.check(call.person_token, personBinding(binding));
    if (verdict === 'ok') return 'user';
    throw new ConfirmationNeeded(
      full,
      verdict === 'expired'
        ? 'The confirmation expired before the write.'
        : verdict === 'post_changed'
          ? 'The post changed after the user was asked.'
          : 'The answer did not come with the question it was asked with.',
      verdict,
    );
  }
  // A token is only issued when nobody could be asked, so in auto mode one is honoured even from a
  // client that can elicit (its form may have failed); in user mode only the person confirms.
  if (deps.policy.confirmVia !== 'user' && call.confirm_token !== undefined) {
    const verdict = tokens.check(call.confirm_token, binding);
    if (verdict === 'ok') return 'token';
    throw new ConfirmationNeeded(full, `${CONFIRM_REFUSALS[verdict]} A new confirm_token is below.`, verdict);
  }
  throw new ConfirmationNeeded(full);
}

/** The confirmation block of a dry run: a token bound to exactly this call, or who will be asked. */
export function dryRunConfirmation(
  call: WriteCall,
  post: Post,
  plan: WritePlan,
  deps: WriteDeps,
  ctx: ToolContext,
): { confirmation?: Confirmation; warning?: string } {
  if (!confirmationReason(call, plan, deps)) return {};
  const preview = previewOf(post);
  if (byToken(deps, ctx)) {
    const confirm_token = deps.confirmTokens.issue(bindingFor(call, post.version));
    const confirmation = {
      status: 'required' as const,
      by: 'token' as const,
      confirm_token,
      expires_at: expiresAt(confirm_token),
      preview,
    };
    return { confirmation };
  }
  const confirmation = { status: 'required' as const, by: 'user' as const, preview };
  return ctx.ask ? { confirmation } : { confirmation, warning: cannotAskSentence() };
}

function cannotAskSentence(): string {
  return 'This server requires the user to confirm destructive writes in the client (POST_EDITOR_CONFIRM_VIA=user), and this client cannot ask (no elicitation): the write will be refused.';
}

/**
 * Runs a write, and when it needs a confirmation it does not have: asks the person through the client
 * when it can (the write then goes ahead in this same call, or is dropped if they decline), otherwise
 * answers confirmation_required with a token bound to exactly this call.
 */
export async function withConfirmation(
  call: WriteCall,
  deps: WriteDeps,
  ctx: ToolContext,
  write: (call: WriteCall) => Promise<WriteResult>,
): Promise<WriteResult> {
  let needed: ConfirmationNeeded;
  try {
    return await write(call);
  } catch (err) {
    if (!(err instanceof ConfirmationNeeded)) throw err;
    needed = err;
  }
  // The post can change while the person reads the form: then they are asked again with the new diff.
  for (let round = 0; round < 3; round++) {
    const { ask } = ctx;
    if (byToken(deps, ctx) || ask === undefined) throw refusal(needed, deps, ctx);
    const state = deps.confirmTokens.issue(personBinding(needed.held.binding));
    let answer;
    try {
      answer = await ask.ask(questionFor(needed.held), state);
    } catch (err) {
      if (!(err instanceof CannotAsk)) throw err;
      deps.log.warn('could not ask the user to confirm', { tool: call.tool, reason: err.message });
      if (deps.policy.confirmVia === 'auto') throw tokenRequired(needed, deps);
      throw userRequired(needed, 'the client could not ask the user');
    }
    if (answer.action !== 'accept') return declined(needed.held, answer.action);
    try {
      return await write({ ...call, person_token: answer.state });
    } catch (err) {
      if (!(err instanceof ConfirmationNeeded)) throw err;
      needed = err;
    }
  }
  throw new ToolError(
    'conflict',
    'The post kept changing while the user was asked to confirm; nothing was sent.',
    { hint: 'Call get_post again and start over.' },
  );
}

function refusal(needed: ConfirmationNeeded, deps: WriteDeps, ctx: ToolContext): ToolError {
  if (byToken(deps, ctx)) return tokenRequired(needed, deps);
  return userRequired(needed, 'this client cannot ask the user (it does not support elicitation)');
}

/** The write result shape (the tools' outputSchema) for a write that was held back. */
function heldResult(held: HeldWrite, confirmation: Confirmation): WriteResult {
  return {
    dry_run: false,
    post: null,
    changed_fields: Object.keys(held.diff),
    diff: held.diff,
    applied: null,
    warnings: held.warnings,
    journal_id: null,
    request: held.request,
    confirmation,
  };
}

function tokenRequired({ held, refusal: why, verdict }: ConfirmationNeeded, deps: WriteDeps): ToolError {
  const confirm_token = deps.confirmTokens.issue(held.binding);
  const expires_at = expiresAt(confirm_token);
  const preview = previewOf(held.post);
  const what = held.action.split(':')[0] ?? held.action;
  return new ToolError(
    'confirmation_required',
    `${why ? `${why} ` : ''}${what} needs confirmation: show the user the diff, then repeat this exact call with confirm_token (valid ${CONFIRM_TTL_MS / 60_000} min).`,
    {
      retryable: false,
      field: 'confirm_token',
      data: {
        confirm_token,
        ...(verdict && { refused_because: verdict }),
        expires_in_s: CONFIRM_TTL_MS / 1000,
        expires_at,
        preview: { ...preview, diff: held.diff },
      },
      structured: heldResult(held, { status: 'required', by: 'token', confirm_token, expires_at, preview }),
    },
  );
}

function userRequired({ held }: ConfirmationNeeded, why: string): ToolError {
  const what = held.action.split(':')[0] ?? held.action;
  return new ToolError(
    'confirmation_required',
    `${what} needs the user's confirmation in the client, and ${why}. Nothing was sent.`,
    {
      retryable: false,
      hint: 'Tell the user: run this from a client that supports MCP elicitation, or ask the operator to set POST_EDITOR_CONFIRM_VIA=auto.',
      data: { preview: { ...previewOf(held.post), diff: held.diff } },
      structured: heldResult(held, { status: 'required', by: 'user', preview: previewOf(held.post) }),
    },
  );
}

/** A decline is an answer, not a failure: a normal result the agent should not retry. */
function declined(held: HeldWrite, action: 'decline' | 'cancel'): WriteResult {
  const what = action === 'decline' ? 'declined' : 'cancelled';
  return {
    dry_run: false,
    post: held.post,
    changed_fields: [],
    diff: held.diff,
    applied: null,
    warnings: [
      `The user ${what} the confirmation: nothing was sent and the post is unchanged. Do not retry unless the user asks for it again.`,
    ],
    journal_id: null,
    confirmation: { status: what, by: 'user', preview: previewOf(held.post) },
  };
}

const MAX_FIELDS = 8;
const MAX_VALUE = 80;

function shown(value: unknown): string {
  const text = value === null || value === undefined ? '(empty)' : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** The short form the person sees: what happens, to which post, and each field's change. */
export function questionFor(held: HeldWrite): PersonQuestion {
  const { post, diff } = held;
  const fields = Object.entries(diff);
  const removing = fields.length > 0 && fields.every(([, c]) => c.after === null);
  const changes = removing
    ? [`Changes: every field is removed (${fields.length})`]
    : [
        'Changes:',
        ...fields.slice(0, MAX_FIELDS).map(([f, c]) => `- ${f}: ${shown(c.before)} → ${shown(c.after)}`),
        ...(fields.length > MAX_FIELDS ? [`- and ${fields.length - MAX_FIELDS} more`] : []),
      ];
  const lines = [
    `${held.action}?`,
    `Title: ${post.title ?? '(untitled)'}`,
    `URL: ${post.url ?? '(none)'}`,
    `Status: ${post.status}${post.provider_status && post.provider_status !== post.status ? ` (${post.provider_status})` : ''}`,
    `Post: ${post.provider} ${post.id} · tool ${held.tool}`,
    ...changes,
    'Nothing is sent unless you accept.',
  ];
  return { message: lines.join('\n'), requestedSchema: { type: 'object', properties: {} } };
}
