import type { z } from 'zod';
import { ToolError } from './errors.js';

type Issue = z.core.$ZodIssue;

/** Turns zod issues into one invalid_input error naming the field, the rule and a valid example. */
export function invalidInputFromIssues(
  issues: readonly Issue[],
  example: Record<string, unknown>,
): ToolError {
  const first = issues[0];
  if (!first) return new ToolError('invalid_input', 'The arguments are invalid.');
  const field = fieldOf(first);
  const topField = first.code === 'unrecognized_keys' ? undefined : String(first.path[0] ?? '');
  const exampleValue = topField ? example[topField] : undefined;
  const exampleText =
    exampleValue !== undefined
      ? `${topField}: ${JSON.stringify(exampleValue)}`
      : first.code === 'unrecognized_keys' || first.path.length === 0
        ? JSON.stringify(example)
        : undefined;
  let message = `${field || 'arguments'}: ${ruleOf(first)}`;
  if (exampleText) message += `. Example: ${truncate(exampleText, 300)}`;
  if (issues.length > 1) {
    const others = [...new Set(issues.slice(1).map(fieldOf))].filter((f) => f && f !== field);
    if (others.length) message += ` (also check: ${others.slice(0, 5).join(', ')})`;
  }
  return new ToolError('invalid_input', message, { field: field || undefined });
}

function fieldOf(issue: Issue): string {
  const parts = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  return parts
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized|Expected)/;

function ruleOf(issue: Issue): string {
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is required (${issue.expected})`
        : `must be ${article(issue.expected)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)} ${unitOf(issue.origin)}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1
        ? 'must not be empty'
        : `must be at least ${String(issue.minimum)} ${unitOf(issue.origin)}`;
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; remove it or check the tool's input schema`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return issue.message;
  }
}

function unitOf(origin: string): string {
  if (origin === 'string') return 'characters';
  if (origin === 'array' || origin === 'set') return 'items';
  return '';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
