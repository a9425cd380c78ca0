import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/index.js';
import { checkBudget, measureContext, readBudget, type ContextCost } from '../../tools/bench/context-cost.js';
import { baseEnv, connectStdio, type StdioServer } from '../helpers/harness.js';

// What every agent pays on every turn: the tools/list of the server with all providers enabled.
// Refresh the recorded budget on purpose with: npm run build && npm run bench:context -- --update
let server: StdioServer;
let cost: ContextCost;

beforeAll(async () => {
  server = await connectStdio(baseEnv(), ['--sandbox']);
  const { tools } = await server.client.listTools();
  cost = measureContext(
    tools,
    PROVIDERS.map((p) => p.id),
  );
});
afterAll(() => server?.close());

describe('tools/list context budget', () => {
  it('stays within the recorded o200k token budget and the per-tool average ceiling', () => {
    const problems = checkBudget(cost, readBudget());
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('keeps the average model-visible cost per tool at or under 350 tokens', () => {
    expect(readBudget().maxAverageModelTokensPerTool).toBeLessThanOrEqual(350);
    expect(cost.total.avgModelTokens).toBeLessThanOrEqual(350);
  });

  it('keeps the model-visible average at or under 310 tokens, and rebelmouse_update_post at or under 800', () => {
    expect(cost.total.avgModelTokens).toBeLessThanOrEqual(310);
    // Issue 13's targets. The largest tool fits with portable anyOf nullables because its text and list
    // fields, cleared by "" and [], take null without advertising it (ADR 0165).
    const rebelmouse = cost.tools.find((t) => t.name === 'rebelmouse_update_post');
    expect(rebelmouse?.modelTokens).toBeGreaterThan(0);
    expect(rebelmouse?.modelTokens).toBeLessThanOrEqual(800);
  });

  it('flags a tool set that grew past the budget (the check itself can fail)', () => {
    const budget = readBudget();
    const unknown = cost.tools.filter((t) => !(t.name in budget.perTool)).length;
    const over = (key: 'tokens' | 'modelTokens') =>
      budget.budget[key] + unknown * budget.newToolAllowance[key] + 1;
    const bloated: ContextCost = {
      ...cost,
      total: { ...cost.total, tokens: over('tokens'), modelTokens: over('modelTokens') },
    };
    expect(checkBudget(bloated, budget).length).toBe(2);
  });
});
