import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

export const BUDGET_FILE = join(import.meta.dirname, 'context-budget.json');
/** The target, applied to what a client puts in the model's prompt for each tool. */
export const MAX_AVERAGE_TOKENS_PER_TOOL = 350;
const HEADROOM = 0.1;

/** One tool's cost in o200k tokens: the tools/list entry as sent, and its parts. */
export interface ToolCost {
  name: string;
  group: string;
  bytes: number;
  /** The whole tools/list entry as JSON (what the wire carries). */
  tokens: number;
  /** name + description + inputSchema: what clients put in the model's prompt. */
  modelTokens: number;
  parts: { description: number; inputSchema: number; outputSchema: number; meta: number };
}

export interface ContextCost {
  tools: ToolCost[];
  groups: { group: string; tools: number; bytes: number; tokens: number; modelTokens: number }[];
  total: {
    tools: number;
    bytes: number;
    tokens: number;
    modelTokens: number;
    avgTokens: number;
    avgModelTokens: number;
    listBytes: number;
    parts: ToolCost['parts'];
  };
}

/** The recorded budget (tools/bench/context-budget.json). */
export interface ContextBudget {
  tokenizer: 'o200k_base';
  /** Ceiling on the average model-visible tokens per tool, whatever the tool count. */
  maxAverageModelTokensPerTool: number;
  recorded: { tools: number; tokens: number; modelTokens: number; at: string };
  /** Recorded totals + headroom: the ceilings for the recorded tool set. */
  budget: { tokens: number; modelTokens: number };
  /** What each tool unknown to the budget (a provider merged since the refresh) may add. */
  newToolAllowance: { tokens: number; modelTokens: number };
  perTool: Record<string, { tokens: number; modelTokens: number }>;
  refresh: string;
}

const tokensOf = (value: unknown): number => (value === undefined ? 0 : countTokens(JSON.stringify(value)));

/** Measures a tools/list answer, grouped by provider id prefix (tools of no provider are "shared"). */
export function measureContext(tools: Tool[], providerIds: string[]): ContextCost {
  const costs: ToolCost[] = tools.map((tool) => {
    const json = JSON.stringify(tool);
    const { description, inputSchema, outputSchema, ...meta } = tool;
    return {
      name: tool.name,
      group: providerIds.find((id) => tool.name.startsWith(`${id}_`)) ?? 'shared',
      bytes: Buffer.byteLength(json),
      tokens: countTokens(json),
      modelTokens: tokensOf({ name: tool.name, description, input_schema: inputSchema }),
      parts: {
        description: tokensOf(description),
        inputSchema: tokensOf(inputSchema),
        outputSchema: tokensOf(outputSchema),
        meta: tokensOf(meta),
      },
    };
  });
  const sum = (list: ToolCost[], pick: (c: ToolCost) => number) => list.reduce((a, c) => a + pick(c), 0);
  const groups = [...new Set(costs.map((c) => c.group))].map((group) => {
    const members = costs.filter((c) => c.group === group);
    return {
      group,
      tools: members.length,
      bytes: sum(members, (c) => c.bytes),
      tokens: sum(members, (c) => c.tokens),
      modelTokens: sum(members, (c) => c.modelTokens),
    };
  });
  const n = Math.max(1, costs.length);
  const tokens = sum(costs, (c) => c.tokens);
  const modelTokens = sum(costs, (c) => c.modelTokens);
  return {
    tools: costs,
    groups,
    total: {
      tools: costs.length,
      bytes: sum(costs, (c) => c.bytes),
      tokens,
      modelTokens,
      avgTokens: Math.round(tokens / n),
      avgModelTokens: Math.round(modelTokens / n),
      listBytes: Buffer.byteLength(JSON.stringify({ tools })),
      parts: {
        description: sum(costs, (c) => c.parts.description),
        inputSchema: sum(costs, (c) => c.parts.inputSchema),
        outputSchema: sum(costs, (c) => c.parts.outputSchema),
        meta: sum(costs, (c) => c.parts.meta),
      },
    },
  };
}

/** Reads the recorded budget. */
export function readBudget(): ContextBudget {
  return JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as ContextBudget;
}

/** Records the current cost + headroom as the new budget (`npm run bench:context -- --update`). */
export function writeBudget(cost: ContextCost): ContextBudget {
  const grow = (v: number) => Math.ceil(v * (1 + HEADROOM));
  const budget: ContextBudget = {
    tokenizer: 'o200k_base',
    maxAverageModelTokensPerTool: MAX_AVERAGE_TOKENS_PER_TOOL,
    recorded: {
      tools: cost.total.tools,
      tokens: cost.total.tokens,
      modelTokens: cost.total.modelTokens,
      at: new Date().toISOString().slice(0, 10),
    },
    budget: { tokens: grow(cost.total.tokens), modelTokens: grow(cost.total.modelTokens) },
    newToolAllowance: { tokens: grow(cost.total.avgTokens), modelTokens: MAX_AVERAGE_TOKENS_PER_TOOL },
    perTool: Object.fromEntries(
      cost.tools.map((t) => [t.name, { tokens: t.tokens, modelTokens: t.modelTokens }]),
    ),
    refresh:
      'npm run build && npm run bench:context -- --update (after adding a provider or growing a tool on purpose)',
  };
  writeFileSync(BUDGET_FILE, JSON.stringify(budget, null, 2) + '\n');
  return budget;
}

/**
 * What is wrong with a measured cost against the budget: the average model-visible tokens per tool
 * over the ceiling, or a total over its recorded budget. Tools the budget does not know yet (a provider
 * merged since the last refresh) get the new-tool allowance each, so a new provider of typical size
 * passes until the budget is refreshed, and an expensive one fails.
 */
export function checkBudget(cost: ContextCost, budget: ContextBudget): string[] {
  const problems: string[] = [];
  if (cost.total.avgModelTokens > budget.maxAverageModelTokensPerTool) {
    problems.push(
      `average ${cost.total.avgModelTokens} model-visible tokens per tool is over the ceiling of ${budget.maxAverageModelTokensPerTool}`,
    );
  }
  const unknown = cost.tools.filter((t) => !(t.name in budget.perTool)).length;
  for (const key of ['tokens', 'modelTokens'] as const) {
    const allowed = budget.budget[key] + unknown * budget.newToolAllowance[key];
    if (cost.total[key] <= allowed) continue;
    const grown = cost.tools
      .filter((t) => budget.perTool[t.name] && t[key] > budget.perTool[t.name]![key])
      .map((t) => `${t.name} ${budget.perTool[t.name]![key]}→${t[key]}`);
    problems.push(
      `${key === 'tokens' ? 'tools/list' : 'model-visible part of tools/list'} is ${cost.total[key]} tokens, ` +
        `over the budget of ${allowed} (${budget.budget[key]} for the ${budget.recorded.tools} recorded tools` +
        (unknown ? ` + ${unknown} new × ${budget.newToolAllowance[key]}` : '') +
        `). Grown: ${grown.join(', ') || 'no recorded tool'}. If intended: ${budget.refresh}`,
    );
  }
  return problems;
}
