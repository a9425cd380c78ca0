import { readBaseUrl, readSecret } from '../../core/env.js';
import type { ProviderDefinition } from '../../pipeline/types.js';
import { createInfinipostApi, type InfinipostSettings } from './api.js';
import {
  infinipostListInput,
  infinipostFieldsOutput,
  infinipostPostId,
  infinipostUpdateInput,
} from './schemas.js';

/** Infinipost: scheduled TikTok/Instagram posts, Bearer key, `post_…` ids. */
export const infinipost: ProviderDefinition<
  InfinipostSettings,
  typeof infinipostListInput,
  typeof infinipostUpdateInput
> = {
  id: 'infinipost',
  label: 'Infinipost',
  env: [
    {
      name: 'INFINIPOST_API_KEY',
      secret: true,
      description: 'API key (sk_test_… or sk_live_…), sent as a Bearer token',
    },
    { name: 'INFINIPOST_BASE_URL', secret: false, description: 'default https://api.infinipost.co/v1' },
  ],
  readSettings(env) {
    const apiKey = readSecret(env, 'INFINIPOST_API_KEY');
    if (!apiKey) return null;
    return { baseUrl: readBaseUrl(env, 'INFINIPOST_BASE_URL', 'https://api.infinipost.co/v1'), apiKey };
  },
  secrets: (s) => [s.apiKey],
  idSchema: infinipostPostId,
  listInput: infinipostListInput,
  updateInput: infinipostUpdateInput,
  fieldsOutput: infinipostFieldsOutput,
  removal: {
    kind: 'delete',
    title: 'Cancel (delete) an Infinipost post not yet posted',
    description:
      'Deletes an Infinipost post that has not been posted yet (status generated or pending_render), so it never goes out. Irreversible. Nothing in the Infinipost API can take down a post already live on TikTok/Instagram: remove it on the platform.',
  },
  asyncWrites: false,
  descriptions: {
    get: 'One Infinipost post (TikTok/Instagram) by id, normalized: body is the caption (title its first line), scheduled_at UTC; fields holds the other editable fields as read.',
    list: 'Infinipost posts, filtered by status/platform/contentType/accountId. Returns next_cursor.',
    update:
      'Partial update of an Infinipost post; only posts in generated or pending_render can be edited. scheduledTime is local time in timezone (required with it). The current TikTok sound is kept unless soundId is given (null removes it).',
  },
  examples: {
    id: 'post_abc123',
    list: { platform: 'tiktok', status: 'generated', limit: 20 },
    update: { caption: 'Updated caption! #trending' },
  },
  createApi: createInfinipostApi,
};
