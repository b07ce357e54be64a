import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does to one request instead of forwarding it:
 * - `slowdown`: 503 with S3's `SlowDown` error body (throttling);
 * - `internal-error`: 500 `InternalError`;
 * - `throttle-429`: 429 `TooManyRequests`;
 * - `drop`: closes the connection without answering (the client sees a reset / socket hang up);
 * - `drop-mid-response`: forwards, then closes the connection half-way through the response body.
 */
export type Fault = 'slowdown' | 'internal-error' | 'throttle-429' | 'drop' | 'drop-mid-response';

/** One request the proxy saw. */
export interface ProxiedRequest {
  n: number;
  method: string;
  url: string;
  fault: Fault | undefined;
}

/** Chooses the fault for request number `n` (1-based, in arrival order), or undefined to forward it. */
export type FaultPlan = (n: number, req: IncomingMessage) => Fault | undefined;

export interface FaultProxy {
  /** The proxy's URL, to use as the S3 endpoint. */
  endpoint: string;
  /** Every request seen, in arrival order. */
  log: ProxiedRequest[];
  close(): Promise<void>;
}

const ERRORS = {
  slowdown: [503, 'SlowDown', 'Please reduce your request rate.'],
  'internal-error': [500, 'InternalError', 'We encountered an internal error. Please try again.'],
  'throttle-429': [429, 'TooManyRequests', 'Too many requests.'],
} as const;

/**
 * An HTTP proxy on loopback in front of an S3 endpoint that injects faults on chosen requests,
 * chosen by count, never by time. The Host header is forwarded unchanged, so SigV4 signatures made
 * for the proxy's address still verify at the server.
 */
export async function startFaultProxy(target: string, plan: FaultPlan): Promise<FaultProxy> {
  const upstream = new URL(target);
  const log: ProxiedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const n = log.length + 1;
    const fault = plan(n, req);
    log.push({ n, method: req.method ?? '', url: req.url ?? '', fault });
    if (fault === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault && fault !== 'drop-mid-response') {
      const [status, code, message] = ERRORS[fault];
      req.resume();
      req.on('end', () => {
        const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
        res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return;
    }
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      if (fault !== 'drop-mid-response') {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        if (body.length < 2) {
          req.socket.destroy();
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
      });
    });
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    log,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** A plan failing the `nth` requests (1-based) matching each rule (method and URL pattern); every matching rule counts a request. */
export function faultsByKind(rules: readonly { method: string; match?: RegExp; nth: readonly number[]; fault: Fault }[]): FaultPlan {
  const seen = new Map<(typeof rules)[number], number>();
  return (_n, req) => {
    let fault: Fault | undefined;
    for (const rule of rules) {
      if (req.method !== rule.method || (rule.match && !rule.match.test(req.url ?? ''))) continue;
      const k = (seen.get(rule) ?? 0) + 1;
      seen.set(rule, k);
      if (rule.nth.includes(k)) fault ??= rule.fault;
    }
    return fault;
  };
}
