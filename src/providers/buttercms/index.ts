import { readBaseUrl, readSecret } from '../../core/env.js';
import type { ProviderDefinition } from '../../pipeline/types.js';
import { createButterApi, type ButterSettings } from './api.js';
import { butterFieldsOutput, butterListInput, butterSlug, butterUpdateInput } from './schemas.js';

/** ButterCMS: blog posts by slug; Read API token for reads, Write API token for writes. */
export const buttercms: ProviderDefinition<ButterSettings, typeof butterListInput, typeof butterUpdateInput> =
  {
    id: 'buttercms',
    label: 'ButterCMS',
    env: [
      {
        name: 'BUTTERCMS_WRITE_TOKEN',
        secret: true,
        description: 'Write API token (update, unpublish); also used for reads if no read token',
      },
      {
        name: 'BUTTERCMS_READ_TOKEN',
        secret: true,
        description: 'Read API token (get, list)',
        usedFor: 'read',
      },
      { name: 'BUTTERCMS_BASE_URL', secret: false, description: 'default https://api.buttercms.com/v2' },
    ],
    readSettings(env) {
      const writeToken = readSecret(env, 'BUTTERCMS_WRITE_TOKEN');
      const readToken = readSecret(env, 'BUTTERCMS_READ_TOKEN');
      if (!writeToken && !readToken) return null;
      return {
        baseUrl: readBaseUrl(env, 'BUTTERCMS_BASE_URL', 'https://api.buttercms.com/v2'),
        readToken,
        writeToken,
      };
    },
    secrets: (s) => [s.readToken, s.writeToken],
    writable: (s) => s.writeToken !== undefined,
    idSchema: butterSlug,
    // A slug change moves the post: revert_post finds it under the slug that was written.
    idField: 'slug',
    listInput: butterListInput,
    updateInput: butterUpdateInput,
    fieldsOutput: butterFieldsOutput,
    removal: {
      kind: 'unpublish',
      title: 'Unpublish a ButterCMS post',
      description:
        'Sets a ButterCMS post back to draft (status "draft"): it leaves the site, its content is kept, and updating status to "published" restores it. Applied asynchronously (202).',
    },
    asyncWrites: true,
    descriptions: {
      get: 'One ButterCMS blog post by slug (any status), normalized, with its version.',
      list: 'ButterCMS blog posts, newest first: published only unless preview:true; query searches. Returns summaries and next_cursor.',
      update:
        'Partial update of a ButterCMS post; only given fields change. Applied asynchronously: the result is applied:"async" (post null) unless wait_for_apply:true. Scheduling cannot be changed via the API.',
    },
    examples: {
      id: 'spring-single-origin-lineup',
      list: { page_size: 10, preview: true },
      update: {
        title: 'Our Spring Single-Origin Lineup (updated)',
        summary: 'Three new lots, roasted light.',
      },
    },
    refusedUpdateFields: {
      scheduled:
        "ButterCMS's Write API ignores scheduled timestamps on update (it would silently drop them). Schedule the post in the ButterCMS dashboard instead.",
    },
    createApi: createButterApi,
  };
