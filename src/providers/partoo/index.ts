import { readBaseUrl, readSecret } from '../../core/env.js';
import type { ProviderDefinition } from '../../pipeline/types.js';
import { createPartooApi, type PartooSettings } from './api.js';
import { partooId, partooListInput, partooUpdateInput } from './schemas.js';

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
  removal: {
    kind: 'delete',
    title: 'Delete a Partoo post',
    description:
      'Deletes a Partoo post from Partoo and its platforms. Partoo has no unpublish: this is IRREVERSIBLE (the content is kept only in our journal). Applied asynchronously; no effect on Instagram copies.',
  },
  asyncWrites: true,
  confirmableUpdates: true,
  descriptions: {
    get: 'One Partoo post by numeric id, normalized (body = summary; title = its opening, Partoo returns none; status merged from the per-platform states). If unsupported (405), use partoo_list_posts.',
    list: 'Partoo posts, filtered by business, state, type, dates or summary text. Returns summaries and next_cursor.',
    update:
      'Partial update of a Partoo post (PUT); only given fields are sent. Applied asynchronously (minutes): applied:"async" unless wait_for_apply:true. No effect on Instagram posts. With a BM/GM key, editing a draft publishes it, so that needs confirmation like a delete. title is not returned, so it cannot be verified.',
  },
  examples: {
    id: '3401',
    list: { per_page: 30, state__in: ['live'] },
    update: { summary: 'Fresh croissants every morning from 7:00.', cta_type: 'learn_more' },
  },
  createApi: createPartooApi,
};
