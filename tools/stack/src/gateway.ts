import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface Route {
  prefix: string;
  target: string;
  /** Replicas of the target: requests go round-robin, and one refused connection moves on to the next. */
  targets?: string[];
}

/** Connection errors that mean the request never reached the upstream (safe to send elsewhere). */
const NOT_REACHED = new Set(['ECONNREFUSED']);

/**
 * The local stand-in for the Helm chart's Ingress: one base URL, routed by path prefix to the
 * service that owns it (to its replicas in turn, like a Service in front of pods).
 */
export function startGateway(port: number, routes: Route[]): Promise<Server> {
  const sorted = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  const turn = new Map<Route, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const route = sorted.find(
      (r) => path === r.prefix || path.startsWith(`${r.prefix}/`) || path.startsWith(`${r.prefix}?`),
    );
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: `No route for ${path}` } }));
      return;
    }
    const targets = route.targets?.length ? route.targets : [route.target];
    if (targets.length === 1) {
      forward(req, res, new URL(path, targets[0]));
      return;
    }
    // Several replicas: the body is buffered so that a refused connection can be retried on the next one.
    const first = turn.get(route) ?? 0;
    turn.set(route, (first + 1) % targets.length);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (i: number) =>
        send(req, res, new URL(path, targets[(first + i) % targets.length]), body, (error) => {
          if (i + 1 < targets.length && NOT_REACHED.has((error as NodeJS.ErrnoException).code ?? '')) attempt(i + 1);
          else badGateway(res, error);
        });
      attempt(0);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function badGateway(res: ServerResponse, error: Error): void {
  if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { code: 'bad_gateway', message: `upstream failed: ${error.message}` } }));
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', (error) => badGateway(res, error));
  req.pipe(upstream);
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  target: URL,
  body: Buffer,
  onError: (error: Error) => void,
): void {
  const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', onError);
  upstream.end(body);
}
