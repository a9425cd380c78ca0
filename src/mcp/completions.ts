import type { ToolContext } from '../core/tool.js';
import type { PostReader, ProviderFacts } from './posts.js';
import { promptProviders } from './prompts.js';
import { templateUri } from './resources.js';

/** The protocol's cap on completion values per answer. */
const MAX_VALUES = 100;

export type CompletionRef = { type: 'ref/resource'; uri: string } | { type: 'ref/prompt'; name: string };

function answer(values: string[]) {
  return {
    completion: {
      values: values.slice(0, MAX_VALUES),
      total: values.length,
      hasMore: values.length > MAX_VALUES,
    },
  };
}

/** Post ids from the providers' recent posts: ids starting with the typed value first, then title matches. */
async function suggestIds(
  reader: PostReader,
  providers: ProviderFacts[],
  typed: string,
  ctx: ToolContext,
): Promise<string[]> {
  const needle = typed.toLowerCase();
  const byId: string[] = [];
  const byTitle: string[] = [];
  for (const p of providers) {
    // A provider that fails to list is left out of the suggestions rather than failing them all.
    const posts = await reader.recentPosts(p.id, ctx).catch(() => []);
    for (const post of posts) {
      if (post.id.toLowerCase().startsWith(needle)) byId.push(post.id);
      else if (needle && post.title?.toLowerCase().includes(needle)) byTitle.push(post.id);
    }
  }
  return [...new Set([...byId, ...byTitle])];
}

/** completion/complete for the post templates' {id} and the prompts' provider and id arguments. */
export async function complete(
  reader: PostReader,
  ref: CompletionRef,
  argument: { name: string; value: string },
  context: { arguments?: Record<string, string> } | undefined,
  ctx: ToolContext,
) {
  if (ref.type === 'ref/resource') {
    const provider = reader.providers.find((p) => templateUri(p.id) === ref.uri);
    if (!provider || argument.name !== 'id') return answer([]);
    return answer(await suggestIds(reader, [provider], argument.value, ctx));
  }
  const providers = promptProviders(reader, ref.name);
  if (!providers) return answer([]);
  if (argument.name === 'provider') {
    const typed = argument.value.toLowerCase();
    return answer(providers.map((p) => p.id).filter((id) => id.startsWith(typed)));
  }
  if (argument.name === 'id') {
    const chosen = providers.find((p) => p.id === context?.arguments?.provider);
    return answer(await suggestIds(reader, chosen ? [chosen] : providers, argument.value, ctx));
  }
  return answer([]);
}
