import { readBaseUrl, readSecret } from '../../core/env.js';
import { ConfigError } from '../../core/env.js';
import type { ProviderDefinition } from '../../pipeline/types.js';
import { createRebelmouseApi, type RebelmouseSettings } from './api.js';
import {
  rebelmouseFieldsOutput,
  rebelmouseId,
  rebelmouseListInput,
  rebelmouseUpdateInput,
} from './schemas.js';

/** RebelMouse Posts API 1.3, served by each site on its own domain; API key in the X-RMAuth header. */
export const rebelmouse: ProviderDefinition<
  RebelmouseSettings,
  typeof rebelmouseListInput,
  typeof rebelmouseUpdateInput
> = {
  id: 'rebelmouse',
  label: 'RebelMouse',
  env: [
    {
      name: 'REBELMOUSE_API_KEY',
      secret: true,
      description: 'API key (from /core/dashboard/sites#api_key), sent as X-RMAuth',
    },
    {
      name: 'REBELMOUSE_BASE_URL',
      secret: false,
      description: "required: the site's own API root, e.g. https://www.example.com/api/1.3",
    },
  ],
  readSettings(env) {
    const apiKey = readSecret(env, 'REBELMOUSE_API_KEY');
    if (!apiKey) return null;
    // No default: every RebelMouse site serves its API on its own domain (ADR 0041).
    const baseUrl = readBaseUrl(env, 'REBELMOUSE_BASE_URL');
    if (!/\/api\/\d+(\.\d+)?$/.test(new URL(baseUrl).pathname)) {
      throw new ConfigError(
        'REBELMOUSE_BASE_URL',
        `must end with the API version path, e.g. ${baseUrl}/api/1.3`,
      );
    }
    return { baseUrl, apiKey };
  },
  secrets: (s) => [s.apiKey],
  idSchema: rebelmouseId,
  listInput: rebelmouseListInput,
  updateInput: rebelmouseUpdateInput,
  fieldsOutput: rebelmouseFieldsOutput,
  removal: {
    kind: 'unpublish',
    title: 'Unpublish a RebelMouse post',
    description:
      'Takes a published RebelMouse post off the site (PUT with action "unpublish"; current fields re-sent). It becomes a draft: details.draft_url links to it. Re-publishing is done in the RebelMouse editor, not here.',
  },
  asyncWrites: false,
  descriptions: {
    get: 'One RebelMouse post by numeric id, normalized, with its version (status "unpublished" once it has a draft_url).',
    list: 'Published RebelMouse posts, newest first (offset/limit ≤30); tag or phrase filters. Returns summaries and next_cursor.',
    update:
      'Update a RebelMouse post: only given fields change (the full-replace PUT re-sends the rest). null clears a field; "" or [] also empties text and lists. Image ids and crops are from RebelMouse\'s Image API.',
  },
  examples: {
    id: '2668412345',
    list: { limit: 10, tag: 'weather' },
    update: { subheadline: 'Crews expect the bridge to reopen by Friday.' },
  },
  createApi: createRebelmouseApi,
};
