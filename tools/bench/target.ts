/** The call every latency benchmark makes: one ButterCMS post read (the reference provider's template). */
export const TARGET_TOOL = process.env.BENCH_TOOL ?? 'buttercms_get_post';
export const TARGET_PROVIDER = TARGET_TOOL.split('_')[0]!;
export const TARGET_ARGS: Record<string, unknown> = process.env.BENCH_ARGS
  ? (JSON.parse(process.env.BENCH_ARGS) as Record<string, unknown>)
  : { id: 'cold-brew-at-home' };
