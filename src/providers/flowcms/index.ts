import { readBaseUrl, readSecret } from '../../core/env.js';
import type { ProviderDefinition } from '../../pipeline/types.js';
import { createFlowApi, type FlowSettings } from './api.js';
import { flowFieldsOutput, flowId, flowListInput, flowUpdateInput } from './schemas.js';

/** FlowCMS: specified only by its update page (the seed); get and list are inferred from unofficial pages. */
export const flowcms: ProviderDefinition<FlowSettings, typeof flowListInput, typeof flowUpdateInput> = {
  id: 'flowcms',
  label: 'FlowCMS',
  env: [
    { name: 'FLOWCMS_API_KEY', secret: true, description: 'API key, sent as Authorization: Bearer' },
    { name: 'FLOWCMS_BASE_URL', secret: false, description: 'default https://api.flowcms.io/v1' },
  ],
  readSettings(env) {
    const apiKey = readSecret(env, 'FLOWCMS_API_KEY');
    if (!apiKey) return null;
    return { baseUrl: readBaseUrl(env, 'FLOWCMS_BASE_URL', 'https://api.flowcms.io/v1'), apiKey };
  },
  secrets: (s) => [s.apiKey],
  idSchema: flowId,
  listInput: flowListInput,
  updateInput: flowUpdateInput,
  fieldsOutput: flowFieldsOutput,
  removal: {
    kind: 'unpublish',
    title: 'Unpublish a FlowCMS post',
    description:
      'Sets a published FlowCMS post back to draft (status "draft"): it leaves the site, content is kept, status "published" restores it. To archive instead, use flowcms_update_post with status "archived".',
  },
  asyncWrites: false,
  descriptions: {
    get: 'One FlowCMS post by id (any status), normalized, with its version. body_format: html if the body opens with a tag, else markdown.',
    list: 'FlowCMS posts, a page at a time (limit ≤100), optionally by status. Returns summaries and next_cursor.',
    update:
      'Partial update of a FlowCMS post (PUT): only the given fields are sent and change. status "published" with a future published_at schedules it.',
  },
  examples: {
    id: 'post_a8f3k29d1',
    list: { limit: 20, status: 'published' },
    update: { title: 'Updated Article Title', tags: ['tutorial', 'cms'] },
  },
  refusedUpdateFields: {
    author_id: 'read-only: the FlowCMS PUT takes title, slug, content, status, tags and published_at only.',
    created_at: 'read-only: the FlowCMS PUT takes title, slug, content, status, tags and published_at only.',
  },
  createApi: createFlowApi,
};
