import {
  SUPPORTED_PROTOCOL_VERSIONS,
  classifyInboundRequest,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { isPlainLegacy } from '../../src/mcp/shared.js';

// The shared hub routes a plain 2025-era request without running the SDK's classifier (ADR 0170): every
// request it takes that way must be one the classifier itself routes to the 2025-era server.

const BODIES: unknown[] = [
  { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  {
    jsonrpc: '2.0',
    id: 'a',
    method: 'tools/call',
    params: { name: 'partoo_get_post', arguments: { id: '1' } },
  },
  { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'x', arguments: { _meta: { a: 1 } } } },
  { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'x', _meta: {} } },
  {
    jsonrpc: '2.0',
    id: 4,
    method: 'tools/call',
    params: { name: 'x', _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } },
  },
  { jsonrpc: '1.0', id: 5, method: 'tools/list' },
  { id: 6, method: 'tools/list' },
  { jsonrpc: '2.0', id: 7, method: 'tools/call', params: null },
  { jsonrpc: '2.0', id: 8, method: 'tools/call', params: 'text' },
  // What the SDK's strict request schema refuses: extra keys, a fractional or unsafe id, array params.
  { jsonrpc: '2.0', id: 9, method: 'tools/list', foo: 1 },
  { jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'x' }, result: {} },
  { jsonrpc: '2.0', id: 1.5, method: 'tools/list' },
  { jsonrpc: '2.0', id: 2 ** 60, method: 'tools/list' },
  { jsonrpc: '2.0', id: 11, method: 'tools/list', params: [] },
  { jsonrpc: '2.0', id: -1, method: 'tools/list', params: {} },
  { jsonrpc: '2.0', id: '', method: 'tools/call', params: { name: 1 } },
];
const HEADERS: (string | undefined)[] = [
  undefined,
  ...SUPPORTED_PROTOCOL_VERSIONS,
  '2026-07-28',
  '1999-01-01',
  '',
];

describe('the shared hub routing plain 2025-era requests', () => {
  it('takes only requests the SDK classifier routes to the 2025-era server', () => {
    let taken = 0;
    for (const body of BODIES)
      for (const protocolVersionHeader of HEADERS) {
        if (!isPlainLegacy(body as JSONRPCRequest, protocolVersionHeader)) continue;
        taken++;
        const route = classifyInboundRequest({
          httpMethod: 'POST',
          body,
          ...(protocolVersionHeader !== undefined && { protocolVersionHeader }),
        });
        expect(route, JSON.stringify({ body, protocolVersionHeader })).toMatchObject({
          kind: 'legacy',
          reason: 'no-claim',
        });
      }
    // The usual 2025-era calls do take the short way (with and without a version header).
    expect(taken).toBeGreaterThanOrEqual(2 * (SUPPORTED_PROTOCOL_VERSIONS.length + 1));
  });

  it('leaves envelopes, modern or unknown version headers and malformed bodies to the classifier', () => {
    expect(isPlainLegacy(BODIES[3] as JSONRPCRequest, undefined)).toBe(false);
    expect(isPlainLegacy(BODIES[4] as JSONRPCRequest, '2026-07-28')).toBe(false);
    expect(isPlainLegacy(BODIES[0] as JSONRPCRequest, '2026-07-28')).toBe(false);
    expect(isPlainLegacy(BODIES[0] as JSONRPCRequest, '1999-01-01')).toBe(false);
    expect(isPlainLegacy(BODIES[5] as JSONRPCRequest, undefined)).toBe(false);
    expect(isPlainLegacy(BODIES[6] as JSONRPCRequest, undefined)).toBe(false);
  });
});
