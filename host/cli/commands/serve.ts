import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startWebHost } from '../../web/server.ts';
import { cliArguments, defineCliCommand, OperationFailed } from '../cli-command.ts';

/** The built renderer: dist/renderer at the repository (or package) root. */
export const rendererDir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));

export const serveCommand = defineCliCommand({
  name: 'serve',
  usage: '[--port N]',
  summary: 'Serve the user interface and API to a browser on this machine (127.0.0.1 only)',
  options: { port: { type: 'string' } },
  positionals: [],
  schema: z.object({ port: cliArguments.wholeNumber(0, 65535).default(0) }),
  async run(context, args) {
    if (!existsSync(`${rendererDir}/index.html`)) {
      throw new OperationFailed({ code: 'UNAVAILABLE', message: 'The user interface is not built yet: run `npm run build` first' });
    }
    const host = context.host();
    const web = await startWebHost({ core: host.core, staticDir: rendererDir, port: args.port }).catch((error: unknown) => {
      const code = (error as { code?: string }).code;
      throw new OperationFailed({
        code: 'UNAVAILABLE',
        message: code === 'EADDRINUSE' ? `Port ${args.port} is already in use; choose another with --port` : `Could not start the web host (${code ?? 'unknown error'})`,
      });
    });
    host.logger.info({ port: web.port }, 'web host listening');
    host.startBackgroundCheckpoints();
    host.sync.start();
    await host.devices.startReaders();
    context.io.stdout.write(
      context.options.json
        ? `${JSON.stringify({ url: web.url, port: web.port, token: web.token })}\n`
        : `Box Office is running at ${web.url}\nOpen it in a browser on this machine. Press Ctrl+C to stop.\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.devices.stopReaders();
    await host.sync.stop();
    await web.close();
    return 0;
  },
});
