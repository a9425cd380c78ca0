import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
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
    const request: EmulatorRequest = {
      method: req.method ?? 'GET',
      path,
      query: url.searchParams,
      headers: req.headers,
      body: parseJson(rawBody),
      rawBody,
    };
    const fault = emulator.takeFault(request.method, path);
    let response: EmulatorResponse;
    if (fault && !fault.afterApply) {
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
    emulator.record({
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      ),
      body: request.body,
      status: response.status,
      at: Date.now(),
    });
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

async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (fault.delayMs) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, fault.delayMs);
      res.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (res.destroyed) return;
  }
  if (fault.reset) {
    req.socket.destroy();
    return;
  }
  const status = fault.status ?? 200;
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
