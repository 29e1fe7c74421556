import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { defaultLogger } from '../../logger.js';
import { createServer } from '../../server/create-server.js';
import type { ServerOptions } from '../../server/options.js';
import { intOption, openDocket, storeOption, tasksOption } from '../common.js';

/** The built dashboard, if the package has one: dist/dashboard from both src/ and dist/ layouts. */
const BUILT_DASHBOARD = fileURLToPath(new URL('../../../dist/dashboard/', import.meta.url));

/** `docket serve`: the HTTP API (and dashboard) until SIGTERM or SIGINT, then a graceful shutdown. */
export function registerServe(program: Command): void {
  const command = new Command('serve')
    .description('serve the HTTP API, live job updates and the dashboard')
    .option('-p, --port <n>', 'port (default $PORT or 3000)', intOption('--port'))
    .option('-H, --host <address>', 'address to bind (default 0.0.0.0 with tokens; always 127.0.0.1 without)')
    .option(
      '--admin-token <token>',
      'bearer token for every route (prefer $DOCKET_ADMIN_TOKEN: flags show in ps)',
    )
    .option('--read-token <token>', 'bearer token for read routes (prefer $DOCKET_READ_TOKEN)')
    .option('--cors <origins>', "comma-separated origins allowed from browsers, or '*' (default: CORS off)")
    .option('--rate-limit <n>', 'requests a minute per token (0: off)', intOption('--rate-limit'), 6000)
    .option('--dashboard <dir>', 'built dashboard to serve at / (default dist/dashboard when built)')
    .option('--examples', 'serve the example pages at /examples/ (e.g. /examples/follow.html)')
    .option('-w, --worker <concurrency>', 'also run a worker in this process', intOption('--worker'));
  storeOption(command);
  tasksOption(command);
  program.addCommand(
    command.action(async (options) => {
      const docket = await openDocket(options);
      const logger = defaultLogger();
      const admin = options.adminToken ?? process.env.DOCKET_ADMIN_TOKEN;
      const read = options.readToken ?? process.env.DOCKET_READ_TOKEN;
      const dashboard =
        options.dashboard ?? (existsSync(`${BUILT_DASHBOARD}index.html`) ? BUILT_DASHBOARD : undefined);
      const serverOptions: ServerOptions = {
        logger,
        tokens: { ...(admin ? { admin } : {}), ...(read ? { read } : {}) },
        rateLimit: options.rateLimit > 0 ? { max: options.rateLimit } : false,
        examples: Boolean(options.examples),
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...(dashboard ? { dashboardDir: dashboard } : {}),
      };
      if (options.cors) {
        serverOptions.cors = options.cors === '*' ? '*' : String(options.cors).split(',').filter(Boolean);
      }
      const server = await createServer(docket, serverOptions);
      const worker = options.worker ? docket.startWorker({ concurrency: options.worker, logger }) : null;
      const { url } = await server.listen();
      process.stderr.write(
        `docket serve: ${url} (${admin || read ? 'bearer tokens required' : 'no tokens: loopback only, open'})` +
          `${dashboard ? ', dashboard at /' : ''}${worker ? `, worker with concurrency ${worker.concurrency}` : ''}\n`,
      );
      const stop = (signal: string) => {
        process.stderr.write(`docket serve: ${signal}, closing streams and draining requests…\n`);
        void server
          .close()
          .then(() => worker?.stop())
          .then(() => docket.close())
          .then(() => process.exit(0));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    }),
  );
}
