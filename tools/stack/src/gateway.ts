import { createServer, request, type Server } from 'node:http';

export interface Route {
  prefix: string;
  target: string;
}

/**
 * The local stand-in for the Helm chart's Ingress: one base URL, routed by path prefix to the
 * service that owns it. Streams bodies both ways.
 */
export function startGateway(port: number, routes: Route[]): Promise<Server> {
  const sorted = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
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
    const target = new URL(path, route.target);
    const upstream = request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_gateway', message: `upstream failed: ${error.message}` } }));
    });
    req.pipe(upstream);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
