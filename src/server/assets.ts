import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The browser helper, next to this module in src/server/public (copied to dist/server/public by the build). */
const FOLLOW_JS = fileURLToPath(new URL('./public/docket-follow.js', import.meta.url));
/** The example pages; src/ and dist/ are both one level below the package root. */
const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/web/', import.meta.url));

/** The stable path of the browser helper. */
export const FOLLOW_JS_PATH = '/docket-follow.js';

/**
 * Static files: the browser helper at /docket-follow.js (always), the
 * example pages at /examples/ (when asked), and a built dashboard at /
 * (when `dashboardDir` is given). All public: they hold no data.
 */
export async function registerAssets(
  app: FastifyInstance,
  options: { dashboardDir?: string | undefined; examples?: boolean | undefined },
): Promise<void> {
  // Read once at start: it is small, and serving it must not touch the disk per request.
  const followJs = readFileSync(FOLLOW_JS, 'utf8');
  app.get(FOLLOW_JS_PATH, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('Cache-Control', 'public, max-age=300')
      .send(followJs),
  );
  if (!options.examples && !options.dashboardDir) return;
  await app.register(async (files) => {
    // Static routes are public; fastify-static takes no route config, so it is set as they are added.
    files.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' };
    });
    if (options.examples) {
      await files.register(fastifyStatic, { root: EXAMPLES_DIR, prefix: '/examples/', decorateReply: false });
    }
    if (options.dashboardDir) {
      await files.register(fastifyStatic, {
        root: options.dashboardDir,
        prefix: '/',
        index: ['index.html'],
        decorateReply: false,
      });
    }
  });
}
