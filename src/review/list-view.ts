import type { JournalEntry, JournalPage, Outcome } from '../store/types.js';
import { html, safeHref, type SafeHtml } from './html.js';
import { ago, badge, BASE, formatTime, layout, whoOf, type PageChrome } from './layout.js';

export const OUTCOMES: readonly Outcome[] = ['applied', 'accepted', 'failed', 'pending'];

/** The list's filters, as read from the query string (already validated). */
export interface ListFilters {
  provider?: string;
  post_id?: string;
  client_name?: string;
  principal?: string;
  outcome?: Outcome;
}

/** A /review URL with these filters (and a cursor), for links that keep the current filters. */
export function listHref(filters: ListFilters, cursor?: string): string {
  const params = new URLSearchParams();
  if (filters.provider) params.set('provider', filters.provider);
  if (filters.post_id) params.set('post', filters.post_id);
  if (filters.client_name) params.set('client', filters.client_name);
  if (filters.principal) params.set('principal', filters.principal);
  if (filters.outcome) params.set('outcome', filters.outcome);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `${BASE}?${query}` : BASE;
}

/** Recent writes across providers, newest first, with filters and keyset paging. */
export function listView(
  chrome: PageChrome,
  page: JournalPage,
  filters: ListFilters,
  providers: string[],
  paged: boolean,
  now = Date.now(),
): SafeHtml {
  const filtered = Object.values(filters).some(Boolean);
  return layout(
    chrome,
    html`<h1>What the agents changed</h1>
      <p class="sub">
        Every write made through post-editor-mcp, newest first. Open one to see the diff and revert it.
      </p>
      <form class="filters panel" method="get" action="${BASE}" role="search" aria-label="Filter writes">
        <div>
          <label for="f-provider">Provider</label>
          <select id="f-provider" name="provider">
            <option value="">All providers</option>
            ${providers.map((p) => html`<option value="${p}" ${filters.provider === p ? html`selected` : ''}>${p}</option>`)}
          </select>
        </div>
        <div>
          <label for="f-post">Post id</label
          ><input id="f-post" name="post" value="${filters.post_id ?? ''}" spellcheck="false" />
        </div>
        <div>
          <label for="f-client">Client</label
          ><input
            id="f-client"
            name="client"
            value="${filters.client_name ?? ''}"
            placeholder="e.g. claude-code"
            spellcheck="false"
          />
        </div>
        <div>
          <label for="f-principal">Token label</label
          ><input id="f-principal" name="principal" value="${filters.principal ?? ''}" spellcheck="false" />
        </div>
        <div>
          <label for="f-outcome">Outcome</label>
          <select id="f-outcome" name="outcome">
            <option value="">Any outcome</option>
            ${OUTCOMES.map((o) => html`<option value="${o}" ${filters.outcome === o ? html`selected` : ''}>${o}</option>`)}
          </select>
        </div>
        <div class="actions">
          <button type="submit">Filter</button
          >${filtered ? html`<a class="button secondary" href="${BASE}">Clear</a>` : ''}
        </div>
      </form>
      ${
        page.entries.length === 0
          ? html`<div class="panel empty">
              ${filtered ? 'No write matches these filters.' : 'No write has been made through post-editor-mcp yet.'}
            </div>`
          : html`<table class="writes">
              <caption class="skip">
                Writes, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Post</th>
                  <th scope="col">Who</th>
                  <th scope="col">Fields changed</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                ${page.entries.map((e) => row(e, filters, now))}
              </tbody>
            </table>`
      }
      <nav class="pager" aria-label="Pages">
        <span>${paged ? html`<a href="${listHref(filters)}">← Newest</a>` : ''}</span>
        <span
          >${page.next_cursor ? html`<a href="${listHref(filters, page.next_cursor)}" rel="next">Older →</a>` : ''}</span
        >
      </nav>`,
  );
}

function row(e: JournalEntry, filters: ListFilters, now: number): SafeHtml {
  const who = whoOf(e.actor);
  const live = safeHref(e.url_before);
  const title = e.title_before?.trim() || `(untitled) ${e.post_id}`;
  const fields = Object.keys(e.after);
  return html`<tr>
    <td data-label="When">
      <a href="${BASE}/writes/${encodeURIComponent(e.journal_id)}" aria-label="Open write ${e.journal_id}"
        >${ago(e.at, now)}</a
      >
      <div class="muted small nowrap">${formatTime(e.at)}</div>
    </td>
    <td class="title" data-label="Post">
      ${live ? html`<a href="${live}" rel="noopener noreferrer nofollow" target="_blank" title="Open the live post">${title}<span aria-hidden="true"> ↗</span></a>` : html`<strong>${title}</strong>`}
      <div class="muted small">
        <a class="muted" href="${listHref({ ...filters, provider: e.provider })}">${e.provider}</a> ·
        <a class="muted" href="${listHref({ ...filters, provider: e.provider, post_id: e.post_id })}"
          >${e.post_id}</a
        >
        ·
        ${
          e.reverts
            ? html`revert of
                <a class="muted mono" href="${BASE}/writes/${encodeURIComponent(e.reverts)}">${e.reverts}</a>`
            : e.tool.replace(`${e.provider}_`, '')
        }
      </div>
    </td>
    <td data-label="Who">
      ${e.actor?.client_name ? html`<a href="${listHref({ ...filters, client_name: e.actor.client_name })}">${who.client}</a>` : html`<span class="muted">${who.client}</span>`}
      <div class="muted small">
        ${who.principal ? html`token <a class="muted" href="${listHref({ ...filters, principal: who.principal })}">${who.principal}</a> · ` : ''}${who.transport ?? ''}
      </div>
    </td>
    <td data-label="Fields">
      <span class="fields">${fields.map((f) => html`<span class="chip mono">${f}</span>`)}</span>
    </td>
    <td data-label="Outcome">
      ${badge(e)}
      <div class="small">
        <a href="${BASE}/writes/${encodeURIComponent(e.journal_id)}" aria-label="Review write ${e.journal_id}"
          >Review →</a
        >
      </div>
    </td>
  </tr>`;
}
