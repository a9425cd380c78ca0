import type { Post } from '../core/post.js';
import type { JournalEntry } from '../store/types.js';
import type { DiffPart, FieldDiff } from './field-diff.js';
import { html, safeHref, type SafeHtml } from './html.js';
import { badge, BASE, formatTime, layout, whoOf, type PageChrome } from './layout.js';
import { htmlToText, markdownToText } from './render-text.js';

/** What the revert section shows: the button, why there is none, or how a revert attempt went. */
export type RevertState =
  | { kind: 'ready'; version: string | null }
  | { kind: 'unavailable'; reason: string }
  | {
      kind: 'done';
      journal_id: string | null;
      changed_fields: string[];
      applied: string | null;
      warnings: string[];
    }
  | {
      /** The post changed since this write: what changed, and a form that forces the revert. */
      kind: 'conflict';
      message: string;
      changes: FieldDiff[];
      version: string | null;
      confirm_token: string | null;
      /** true: the button forces the revert over the later changes; false: it retries at the new version. */
      force: boolean;
    }
  | { kind: 'error'; message: string; hint: string | null; version: string | null };

export interface EntryViewModel {
  entry: JournalEntry;
  diffs: FieldDiff[];
  current: { post: Post } | { error: string };
  revert: RevertState;
  csrf: string;
}

const BODY_PREVIEW_CHARS = 20_000;

/** One write: who, what changed (diff per field), the request sent, the post now, and Revert. */
export function entryView(chrome: PageChrome, m: EntryViewModel): SafeHtml {
  const { entry } = m;
  const who = whoOf(entry.actor);
  const live = safeHref(entry.url_before);
  const title = entry.title_before?.trim() || `(untitled) ${entry.post_id}`;
  const id = encodeURIComponent(entry.journal_id);
  return layout(
    chrome,
    html`<p class="small"><a href="${BASE}">← All writes</a></p>
      <h1>
        ${live ? html`<a href="${live}" rel="noopener noreferrer nofollow" target="_blank">${title}</a>` : title}
      </h1>
      <p class="sub">${entry.provider} · post <span class="mono">${entry.post_id}</span> · ${badge(entry)}</p>
      ${revertNotice(m.revert, id, m.csrf)}
      <div class="grid2">
        <section aria-labelledby="h-diff">
          <h2 id="h-diff">What changed</h2>
          <div class="panel">
            ${m.diffs.length ? m.diffs.map(fieldDiff) : html`<p class="muted">No field changed.</p>`}
          </div>
          <h2 id="h-request">Request sent</h2>
          <pre class="request" aria-labelledby="h-request">
${entry.request.method} ${entry.request.path}${
              entry.request.body === undefined || entry.request.body === null
                ? ''
                : `\n\n${JSON.stringify(entry.request.body, null, 2)}`
            }</pre>
          <p class="muted small">As sent to ${entry.provider}; credentials are never recorded.</p>
        </section>
        <aside aria-labelledby="h-facts">
          <h2 id="h-facts">The write</h2>
          <div class="panel">
            <dl class="facts">
              <dt>When</dt>
              <dd>${formatTime(entry.at)}</dd>
              <dt>Client</dt>
              <dd>${who.client}</dd>
              <dt>Token</dt>
              <dd>${who.principal ?? '—'}</dd>
              <dt>Transport</dt>
              <dd>${who.transport ?? '—'}</dd>
              <dt>Tool</dt>
              <dd class="mono">${entry.tool}</dd>
              <dt>Outcome</dt>
              <dd>
                ${entry.outcome}${entry.outcome_detail ? html`<div class="muted small">${entry.outcome_detail}</div>` : ''}
              </dd>
              <dt>Version before</dt>
              <dd class="mono">${entry.version_before}</dd>
              <dt>Journal id</dt>
              <dd class="mono">${entry.journal_id}</dd>
              ${
                entry.reverts
                  ? html`<dt>Reverts</dt>
                      <dd>
                        <a class="mono" href="${BASE}/writes/${encodeURIComponent(entry.reverts)}"
                          >${entry.reverts}</a
                        >
                      </dd>`
                  : ''
              }
              ${
                entry.reverted_by
                  ? html`<dt>Reverted by</dt>
                      <dd>
                        <a class="mono" href="${BASE}/writes/${encodeURIComponent(entry.reverted_by)}"
                          >${entry.reverted_by}</a
                        >
                      </dd>`
                  : ''
              }
            </dl>
          </div>
          ${revertForm(m, id)}
          <h2 id="h-now">The post now</h2>
          ${nowPanel(m.current)}
        </aside>
      </div>`,
  );
}

function parts(list: DiffPart[]): SafeHtml[] {
  return list.map((p) =>
    p.kind === 'added'
      ? html`<ins>${p.text}</ins>`
      : p.kind === 'removed'
        ? html`<del>${p.text}</del>`
        : html`${p.text}`,
  );
}

/** One field's diff, as the kind of value it holds calls for. */
export function fieldDiff(d: FieldDiff): SafeHtml {
  const head = (note: string) =>
    html`<h3>
      <span class="mono">${d.field}</span>${note ? html`<span class="muted small">${note}</span>` : ''}
    </h3>`;
  switch (d.kind) {
    case 'text':
      return html`<div class="field">
        ${head('word diff')}
        <p class="diff">${parts(d.parts)}</p>
      </div>`;
    case 'rendered':
      return html`<div class="field">
        ${head(`rendered text of the ${d.format === 'html' ? 'HTML' : 'Markdown'}`)}
        ${d.markupOnly ? html`<p class="notice warn small">The text a reader sees is unchanged: only the markup changed (links, attributes, scripts…). Check the source below.</p>` : html`<p class="diff">${parts(d.parts)}</p>`}
        <details ${d.markupOnly ? html`open` : ''}>
          <summary>Source diff (${d.format === 'html' ? 'HTML' : 'Markdown'})</summary>
          <pre class="diff mono">${parts(d.source)}</pre>
        </details>
      </div>`;
    case 'list':
      return html`<div class="field">
        ${head('items')}
        <ul class="items">
          ${d.items.map(
            (i) =>
              html`<li class="chip">
                ${i.kind === 'added' ? html`<ins>${i.text}</ins>` : i.kind === 'removed' ? html`<del>${i.text}</del>` : i.text}
              </li>`,
          )}
        </ul>
      </div>`;
    case 'value':
      return html`<div class="field">
        ${head('')}
        <div class="ba">
          <div class="before">
            <span class="muted small">Before</span>
            <pre>${d.before}</pre>
          </div>
          <div class="after">
            <span class="muted small">After</span>
            <pre>${d.after}</pre>
          </div>
        </div>
      </div>`;
  }
}

function nowPanel(current: EntryViewModel['current']): SafeHtml {
  if ('error' in current) {
    return html`<div class="notice bad" role="status">The post could not be read now: ${current.error}</div>`;
  }
  const p = current.post;
  const live = safeHref(p.url);
  const body = p.body ?? '';
  const text =
    p.body_format === 'html' ? htmlToText(body) : p.body_format === 'markdown' ? markdownToText(body) : body;
  return html`<div class="panel">
    <dl class="facts">
      <dt>Title</dt>
      <dd>${p.title ?? '—'}</dd>
      <dt>Status</dt>
      <dd>
        ${p.status}${p.provider_status && p.provider_status !== p.status ? html` <span class="muted small">(${p.provider_status})</span>` : ''}
      </dd>
      <dt>Live URL</dt>
      <dd>
        ${live ? html`<a href="${live}" rel="noopener noreferrer nofollow" target="_blank">${p.url}</a>` : (p.url ?? '—')}
      </dd>
      <dt>Updated</dt>
      <dd>${formatTime(p.updated_at)}</dd>
      <dt>Version</dt>
      <dd class="mono">${p.version}</dd>
      ${
        p.tags.length
          ? html`<dt>Tags</dt>
              <dd>${p.tags.join(', ')}</dd>`
          : ''
      }
    </dl>
    ${text ? html`<div class="now-body" tabindex="0" aria-label="Body as rendered text">${text.length > BODY_PREVIEW_CHARS ? `${text.slice(0, BODY_PREVIEW_CHARS)}…` : text}</div>` : ''}
  </div>`;
}

function revertForm(m: EntryViewModel, id: string): SafeHtml {
  const r = m.revert;
  if (r.kind === 'unavailable')
    return html`<h2>Revert</h2>
      <p class="muted">${r.reason}</p>`;
  if (r.kind !== 'ready' && r.kind !== 'error') return html``;
  return html`<h2 id="h-revert">Revert</h2>
    <form method="post" action="${BASE}/writes/${id}/revert#result" class="panel">
      <input type="hidden" name="csrf" value="${m.csrf}" />
      <input type="hidden" name="version" value="${r.version ?? ''}" />
      <p class="small">
        Puts back the ${Object.keys(m.entry.before).length === 1 ? 'field' : 'fields'} this write changed,
        through the same checked pipeline as revert_post. If the post changed since, you are asked first.
      </p>
      <button type="submit" class="danger">Revert this write</button>
    </form>`;
}

function revertNotice(r: RevertState, id: string, csrf: string): SafeHtml {
  switch (r.kind) {
    case 'done':
      return html`<div id="result" class="notice ok" role="status">
        <h2>Reverted</h2>
        <p>
          ${r.changed_fields.length ? html`Restored ${r.changed_fields.map((f, i) => html`${i ? ', ' : ''}<span class="mono">${f}</span>`)}` : 'Nothing needed restoring'}${r.applied === 'async' ? ' (accepted: the provider applies it shortly)' : ''}.
          ${r.journal_id ? html` The revert is journaled as <a class="mono" href="${BASE}/writes/${encodeURIComponent(r.journal_id)}">${r.journal_id}</a>.` : ''}
        </p>
        ${
          r.warnings.length
            ? html`<ul>
                ${r.warnings.map((w) => html`<li>${w}</li>`)}
              </ul>`
            : ''
        }
      </div>`;
    case 'conflict':
      return html`<div id="result" class="notice warn" role="alert">
        <h2>The post changed since this write</h2>
        <p class="small muted">${r.message}</p>
        ${
          r.changes.length
            ? html`<p class="small">What changed since (value written then → value now):</p>
                ${r.changes.map(fieldDiff)}`
            : ''
        }
        <p class="small">
          ${
            r.force
              ? 'Reverting anyway overwrites these later changes with the values from before this write.'
              : 'The post changed while this page was open. Check it above; reverting at its new version still asks you first if it would overwrite a later change.'
          }
        </p>
        <form method="post" action="${BASE}/writes/${id}/revert#result" class="actions">
          <input type="hidden" name="csrf" value="${csrf}" />
          <input type="hidden" name="version" value="${r.version ?? ''}" />
          ${r.force ? html`<input type="hidden" name="force" value="1" />` : ''}
          ${r.confirm_token ? html`<input type="hidden" name="confirm_token" value="${r.confirm_token}" />` : ''}
          <button type="submit" class="danger">${r.force ? 'Revert anyway' : 'Revert now'}</button>
          <a class="button secondary" href="${BASE}/writes/${id}">Cancel</a>
        </form>
      </div>`;
    case 'error':
      return html`<div id="result" class="notice bad" role="alert">
        <h2>The revert did not happen</h2>
        <p>${r.message}</p>
        ${r.hint ? html`<p class="small">${r.hint}</p>` : ''}
      </div>`;
    default:
      return html``;
  }
}
