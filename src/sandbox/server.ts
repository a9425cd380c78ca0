import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Emulator, EmulatorRequest, EmulatorResponse, Fault } from './emulator.js';
import { EMULATORS, type SandboxOptions } from './index.js';

export interface Sandbox {
  /** http://127.0.0.1:PORT */
  origin: string;
  port: number;
  /** Environment variables that point every provider at its emulator, with sandbox credentials. */
  env: Record<string, string>;
  emulator(id: string): Emulator;
  emulators: Emulator[];
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

/** Starts every emulator on one loopback HTTP server, each under /<provider>. */
export async function startSandbox(
  options: SandboxOptions & { port?: number; host?: string } = {},
): Promise<Sandbox> {
  const entries = EMULATORS.map((e) => ({ spec: e, emulator: e.create(options) }));
  const byId = new Map(entries.map((e) => [e.spec.id, e.emulator]));
  const sockets = new Set<Socket>();
  // custom credential value → the emulator's default (filled in once the origin is known, below).
  const aliases = new Map<string, string>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"sandbox failure"}');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const [, prefix = '', ...rest] = url.pathname.split('/');
    if (prefix === '__sandbox') return control(rest.join('/'), req, res);
    const emulator = byId.get(prefix);
    if (!emulator) return send(res, { status: 404, body: { error: `no emulator at /${prefix}` } });
    const rawBody = await readBody(req);
    const path = '/' + rest.join('/');
    const headers = aliases.size ? translateHeaders(req.headers, aliases) : req.headers;
    if (aliases.size) translateQuery(url.searchParams, aliases);
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers,
      body: parseJson(rawBody),
      rawBody,
    };
    // Logged on arrival, so a test sees a request the client gave up on (a hang past its timeout)
    // as soon as the client has its answer; the status is filled in once the emulator has answered.
    const entry = {
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      ),
      body: request.body,
      status: 0,
      at: Date.now(),
    };
    emulator.record(entry);
    const fault = emulator.takeFault(request.method, path);
    let response: EmulatorResponse;
    if (fault && isSlowOnly(fault)) {
      // A slow provider: wait, then answer normally (unless the client gave up meanwhile).
      await waitOrClose(fault.delayMs ?? 0, res);
      response = res.destroyed ? { status: 0 } : await emulator.dispatch(request);
      send(res, response);
    } else if (fault && !fault.afterApply) {
      await applyFault(fault, req, res);
      response = { status: fault.status ?? 0 };
    } else {
      response = await emulator.dispatch(request);
      if (fault) {
        await applyFault(fault, req, res);
        response = { status: fault.status ?? 0 };
      } else {
        send(res, response);
      }
    }
    entry.status = response.status;
  }

  function control(action: string, req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const id = url.searchParams.get('provider');
    const targets = id ? [byId.get(id)].filter((e): e is Emulator => e !== undefined) : [...byId.values()];
    if (action === 'requests' && req.method === 'GET') {
      return send(res, { status: 200, body: Object.fromEntries(targets.map((e) => [e.id, e.requests])) });
    }
    if (action === 'reset' && req.method === 'POST') {
      targets.forEach((e) => e.reset());
      return send(res, { status: 200, body: { reset: targets.map((e) => e.id) } });
    }
    send(res, {
      status: 404,
      body: { error: 'control endpoints: GET /__sandbox/requests, POST /__sandbox/reset' },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const env: Record<string, string> = {};
  for (const { spec } of entries) Object.assign(env, spec.env(`${origin}/${spec.id}`));
  for (const [name, value] of Object.entries(options.credentials ?? {})) {
    const standard = env[name];
    if (standard === undefined || value === standard) continue;
    aliases.set(value, standard);
    env[name] = value;
  }

  return {
    origin,
    port,
    env,
    emulators: entries.map((e) => e.emulator),
    emulator(id) {
      const emulator = byId.get(id);
      if (!emulator) throw new Error(`no emulator ${id}`);
      return emulator;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Replaces custom credential values by the defaults the emulators know, in plain and Basic-auth headers. */
function translateHeaders(headers: IncomingHttpHeaders, aliases: Map<string, string>): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = Array.isArray(value)
      ? value.map((v) => translate(v, aliases))
      : value && translate(value, aliases);
  }
  return out;
}

function translate(value: string, aliases: Map<string, string>): string {
  const basic = /^Basic (\S+)$/i.exec(value);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const replaced = replaceAll(decoded, aliases);
    if (replaced !== decoded) return `Basic ${Buffer.from(replaced, 'utf8').toString('base64')}`;
  }
  return replaceAll(value, aliases);
}

function translateQuery(params: URLSearchParams, aliases: Map<string, string>): void {
  for (const [key, value] of [...params]) {
    const replaced = replaceAll(value, aliases);
    if (replaced !== value) params.set(key, replaced);
  }
}

function replaceAll(text: string, aliases: Map<string, string>): string {
  let out = text;
  for (const [custom, standard] of aliases) out = out.split(custom).join(standard);
  return out;
}

/** A fault that only delays (no status, body or breakage): the normal answer comes late. */
function isSlowOnly(fault: Fault): boolean {
  return (
    fault.delayMs !== undefined &&
    fault.status === undefined &&
    fault.body === undefined &&
    fault.text === undefined &&
    !fault.reset &&
    !fault.truncated &&
    !fault.html &&
    !fault.oversizeBytes &&
    !fault.afterApply
  );
}

function waitOrClose(ms: number, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (fault.delayMs) {
    await waitOrClose(fault.delayMs, res);
    if (res.destroyed) return;
  }
  if (fault.reset) {
    req.socket.destroy();
    return;
  }
  const status = fault.status ?? 200;
  if (fault.text !== undefined) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(fault.text);
    return;
  }
  if (fault.truncated) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{"data": {"title": "cut off mid-');
    return;
  }
  if (fault.html) {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end(`<html><head><title>${status} Bad Gateway</title></head><body>upstream failure</body></html>`);
    return;
  }
  if (fault.oversizeBytes) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(`{"padding":"${'x'.repeat(fault.oversizeBytes)}"}`);
    return;
  }
  send(res, { status, body: fault.body ?? {}, headers: fault.headers });
}

function send(res: ServerResponse, response: EmulatorResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json';
  res.writeHead(response.status, headers);
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
