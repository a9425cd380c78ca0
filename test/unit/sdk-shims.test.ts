import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import { describe, expect, it } from 'vitest';
import * as shims from '../../src/mcp/sdk-shims.js';

// The bundle's stand-in for the SDK's Node shim (ADR 0161) must behave as the shim it replaces.

const SCHEMA = {
  type: 'object',
  properties: { email: { type: 'string', format: 'email' }, n: { type: 'integer', minimum: 1 } },
  required: ['email'],
} as const;

describe("the bundle's SDK shim", () => {
  it('exports what the SDK shim for Node exports', async () => {
    const real = (await import('@modelcontextprotocol/server/_shims')) as Record<string, unknown>;
    expect(Object.keys(shims).sort()).toEqual(Object.keys(real).sort());
    expect(shims.process).toBe(real.process);
  });

  it("validates as the SDK's Ajv validator does, formats included", () => {
    const ours = new shims.DefaultJsonSchemaValidator().getValidator(SCHEMA);
    const sdk = new AjvJsonSchemaValidator().getValidator(SCHEMA);
    for (const value of [{ email: 'a@example.com', n: 2 }, { email: 'not an address' }, { n: 0 }, 'text']) {
      expect(ours(value), JSON.stringify(value)).toEqual(sdk(value));
    }
    expect(ours({ email: 'a@example.com' }).valid).toBe(true);
    expect(ours({ email: 'not an address' }).valid).toBe(false);
  });
});
