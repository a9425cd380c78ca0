import type { Actor } from '../store/types.js';
import { isRecord } from './record.js';

/** The request _meta key under which 2026-07-28 clients send their clientInfo with every request. */
export const CLIENT_INFO_META = 'io.modelcontextprotocol/clientInfo';

/** What a transport knows about who is calling. */
export interface CallerFacts {
  transport: Actor['transport'];
  /** The label of the bearer token that authenticated the request (HTTP), if any. */
  principal?: string | null;
  /** clientInfo from a 2025-era initialize, if this connection had one. */
  clientInfo?: unknown;
  /** The request's _meta (2026-07-28 clients carry their clientInfo there, per request). */
  meta?: unknown;
}

/**
 * Who asked for a call, for the journal and the review page. The per-request clientInfo wins over the
 * initialize one (a stateless HTTP request never saw an initialize). Names come from the client, so
 * they are trimmed, stripped of control characters and capped: they are shown to people later.
 */
export function deriveActor(facts: CallerFacts): Actor {
  const fromMeta = isRecord(facts.meta) ? facts.meta[CLIENT_INFO_META] : undefined;
  const info = isRecord(fromMeta) ? fromMeta : isRecord(facts.clientInfo) ? facts.clientInfo : {};
  return {
    client_name: cleanLabel(info.name),
    client_version: cleanLabel(info.version),
    transport: facts.transport,
    principal: cleanLabel(facts.principal),
  };
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what we drop
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

function cleanLabel(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(CONTROL, '').trim().slice(0, 100);
  return text || null;
}
