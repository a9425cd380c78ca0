import { readBaseUrl, readSecret } from '../../core/env.js';
import type { ProviderDefinition } from '../../pipeline/types.js';
import { createPartooApi, type PartooSettings } from './api.js';
import { partooId, partooListInput, partooFieldsOutput, partooUpdateInput } from './schemas.js';

/** Partoo: local-business posts (Google, Facebook, Instagram) by numeric id, via the x-APIKey header. */
export const partoo: ProviderDefinition<PartooSettings, typeof partooListInput, typeof partooUpdateInput> = {
  id: 'partoo',
  label: 'Partoo',
  env: [
    {
      name: 'PARTOO_API_KEY',
      secret: true,
      description: "API key (x-APIKey header); its user's role sets what it can do",
    },
    {
      name: 'PARTOO_BASE_URL',
      secret: false,
      description: 'default https://api.partoo.co/v2 (sandbox: https://api.sandbox.partoo.co/v2)',
    },
  ],
  readSettings(env) {
    const apiKey = readSecret(env, 'PARTOO_API_KEY');
    if (!apiKey) return null;
    return { baseUrl: readBaseUrl(env, 'PARTOO_BASE_URL', 'https://api.partoo.co/v2'), apiKey };
  },
  secrets: (s) => [s.apiKey],
  idSchema: partooId,
  listInput: partooListInput,
  updateInput: partooUpdateInput,
  fieldsOutput: partooFieldsOutput,
  removal: {
    kind: 'delete',
    title: 'Delete a Partoo post',
    description:
      'Deletes a Partoo post from Partoo and its platforms. Partoo has no unpublish: this is IRREVERSIBLE (the content is kept only in our journal). Applied asynchronously; no effect on Instagram copies.',
  },
  asyncWrites: true,
  confirmableUpdates: true,
  descriptions: {
    get: "One Partoo post by numeric id, normalized (body = summary; title = its opening; status merged from the platforms' states); fields holds update_post's other fields as read.",
    list: 'Partoo posts, filtered by business, state, type, dates or summary text. Returns summaries and next_cursor.',
    update:
      'Partial update of a Partoo post (PUT); only given fields are sent. Applied asynchronously (minutes): applied:"async" unless wait_for_apply:true. No effect on Instagram posts. "" or null clears a text field. On a draft, a BM/GM key publishes it: confirm-gated like a delete.',
  },
  examples: {
    id: '3401',
    list: { per_page: 30, state__in: ['live'] },
    update: { summary: 'Fresh croissants every morning from 7:00.' },
  },
  createApi: createPartooApi,
};
