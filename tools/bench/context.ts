import { PROVIDERS } from '../../src/providers/index.js';
import {
  BUDGET_FILE,
  checkBudget,
  MAX_AVERAGE_TOKENS_PER_TOOL,
  measureContext,
  readBudget,
  writeBudget,
  type ContextCost,
} from './context-cost.js';
import { connectStdio, printTable, serverEnv, type BenchOptions, type Verdict } from './lib.js';

/** tools/list of the server with every provider enabled (via --sandbox), in bytes and o200k tokens. */
export async function measureServerContext(): Promise<ContextCost> {
  const session = await connectStdio(serverEnv({}), ['--sandbox']);
  try {
    const { tools } = await session.client.listTools();
    return measureContext(
      tools,
      PROVIDERS.map((p) => p.id),
    );
  } finally {
    await session.close();
  }
}

/** Context cost per tool, per provider and in total; `--update` records the budget. */
export async function runContext(options: BenchOptions): Promise<{ data: unknown; verdicts: Verdict[] }> {
  const cost = await measureServerContext();
  printTable(
    'context cost per tool, o200k tokens (entry = tools/list entry as sent; model = name+description+inputSchema)',
    cost.tools.map((t) => ({
      tool: t.name,
      bytes: t.bytes,
      entry_tokens: t.tokens,
      model_tokens: t.modelTokens,
      description: t.parts.description,
      input_schema: t.parts.inputSchema,
      output_schema: t.parts.outputSchema,
      name_title_annotations: t.parts.meta,
    })),
  );
  const avg = (v: number, n: number) => Math.round(v / n);
  printTable('context cost per provider', [
    ...cost.groups.map((g) => ({
      provider: g.group,
      tools: g.tools,
      bytes: g.bytes,
      entry_tokens: g.tokens,
      avg_entry: avg(g.tokens, g.tools),
      model_tokens: g.modelTokens,
      avg_model: avg(g.modelTokens, g.tools),
    })),
    {
      provider: 'TOTAL',
      tools: cost.total.tools,
      bytes: cost.total.bytes,
      entry_tokens: cost.total.tokens,
      avg_entry: cost.total.avgTokens,
      model_tokens: cost.total.modelTokens,
      avg_model: cost.total.avgModelTokens,
    },
  ]);
  const p = cost.total.parts;
  const pct = (v: number) => `${Math.round((100 * v) / cost.total.tokens)}%`;
  console.log(
    `whole tools/list result: ${cost.total.listBytes} bytes. Where the entry tokens go: outputSchema ${p.outputSchema} (${pct(p.outputSchema)}), ` +
      `inputSchema ${p.inputSchema} (${pct(p.inputSchema)}), description ${p.description} (${pct(p.description)}), ` +
      `name/title/annotations ${p.meta} (${pct(p.meta)})`,
  );
  if (options.update) {
    const budget = writeBudget(cost);
    console.log(
      `recorded budget: ${JSON.stringify(budget.budget)} tokens for ${budget.recorded.tools} tools in ${BUDGET_FILE}`,
    );
  } else {
    const problems = checkBudget(cost, readBudget());
    console.log(
      problems.length ? `BUDGET EXCEEDED:\n  ${problems.join('\n  ')}` : 'within the recorded budget',
    );
  }
  return {
    data: cost,
    verdicts: [
      {
        metric: 'context: model-visible tokens per tool (avg)',
        value: cost.total.avgModelTokens,
        unit: 'tokens',
        target: `<= ${MAX_AVERAGE_TOKENS_PER_TOOL}`,
        pass: cost.total.avgModelTokens <= MAX_AVERAGE_TOKENS_PER_TOOL,
      },
      {
        metric: 'context: whole tools/list entry per tool (avg)',
        value: cost.total.avgTokens,
        unit: 'tokens',
        target: `<= ${MAX_AVERAGE_TOKENS_PER_TOOL}`,
        pass: cost.total.avgTokens <= MAX_AVERAGE_TOKENS_PER_TOOL,
      },
    ],
  };
}
