import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import type { AppControllerRoute, AppViewRoute, BullBoardQueues, ControllerHandlerReturnType, IServerAdapter, UIConfig } from '@bull-board/api/typings/app';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Bull Board's server adapter on plain Fastify routes, without @fastify/static and @fastify/view (whose
 * current releases load ESM-only packages, which this repository's jest cannot). It serves the UI's static
 * files from @bull-board/ui (no path outside its folder) and renders its one-page `index.ejs`, whose only tags
 * are `<%= name %>` (escaped) and `<%- uiConfig %>` (JSON made safe by Bull Board).
 */
export class BullBoardFastifyAdapter implements IServerAdapter {
  private basePath = '';
  private queues?: BullBoardQueues;
  private statics?: { route: string; path: string };
  private viewPath?: string;
  private entry?: AppViewRoute;
  private api: AppControllerRoute[] = [];
  private uiConfig: UIConfig = {};
  private errorHandler?: (error: Error) => ControllerHandlerReturnType;

  setBasePath(path: string): this {
    this.basePath = path;
    return this;
  }
  setQueues(queues: BullBoardQueues): this {
    this.queues = queues;
    return this;
  }
  setViewsPath(path: string): this {
    this.viewPath = path;
    return this;
  }
  setStaticPath(route: string, path: string): this {
    this.statics = { route, path: resolve(path) };
    return this;
  }
  setEntryRoute(route: AppViewRoute): this {
    this.entry = route;
    return this;
  }
  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType): this {
    this.errorHandler = handler;
    return this;
  }
  setApiRoutes(routes: AppControllerRoute[]): this {
    this.api = routes;
    return this;
  }
  setUIConfig(config: UIConfig = {}): this {
    this.uiConfig = config;
    return this;
  }

  /** Registers the board's routes on `scope`, under the base path (call after createBullBoard). */
  async register(scope: FastifyInstance): Promise<void> {
    const { statics, viewPath, entry, queues, errorHandler } = this;
    if (!statics || !viewPath || !entry || !queues || !errorHandler) throw new Error('createBullBoard must configure the adapter before register()');
    const base = this.basePath.replace(/\/+$/, '');
    const template = await readFile(join(viewPath, 'index.ejs'), 'utf8');

    scope.get(`${base}${statics.route}/*`, async (req, reply) => {
      const wanted = resolve(statics.path, (req.params as { '*': string })['*']);
      if (!wanted.startsWith(statics.path + sep)) return reply.status(404).send();
      try {
        const body = await readFile(wanted);
        return reply.type(TYPES[extname(wanted)] ?? 'application/octet-stream').header('cache-control', 'public, max-age=3600').send(body);
      } catch {
        return reply.status(404).send();
      }
    });

    // `/admin/queues` as well as `/admin/queues/`: the page a browser is sent to first.
    const entryRoutes = [entry.route].flat().flatMap((route) => (route === '/' || route === '' ? ['', '/'] : [route]));
    for (const route of entryRoutes) {
      scope.route({
        method: entry.method.toUpperCase() as 'GET',
        url: `${base}${route}`,
        handler: async (_req, reply) => {
          const { params } = entry.handler({ basePath: this.basePath, uiConfig: this.uiConfig });
          const values = params as unknown as Record<string, string | undefined>;
          const html = template
            .replace(/<%=\s*(\w+)\s*%>/g, (_m, name: string) => escapeHtml(String(values[name] ?? '')))
            .replace(/<%-\s*(\w+)\s*%>/g, (_m, name: string) => String(values[name] ?? ''));
          return reply.type('text/html; charset=utf-8').send(html);
        },
      });
    }

    for (const route of this.api) {
      for (const url of [route.route].flat()) {
        scope.route({
          method: [route.method].flat().map((m) => m.toUpperCase()) as Array<'GET'>,
          url: `${base}${url}`,
          handler: async (req, reply) => {
            try {
              const response = await route.handler({
                queues,
                uiConfig: this.uiConfig,
                params: req.params as Record<string, any>,
                query: req.query as Record<string, any>,
                body: req.body as Record<string, any>,
                headers: req.headers as Record<string, string>,
              } as never);
              return reply.status(response.status ?? 200).send(response.body);
            } catch (error) {
              const response = errorHandler(error as Error);
              return reply.status(response.status ?? 500).send(response.body);
            }
          },
        });
      }
    }
  }
}
