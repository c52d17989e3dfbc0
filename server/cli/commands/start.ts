import { pino } from 'pino';
import { z } from 'zod';
import { StoreInUseError } from '../../data-folder.ts';
import { startServer, type StartedServer } from '../../main.ts';
import { defineServerCommand, OperationFailed } from '../cli-command.ts';

export const defaultPort = 7420;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const startCommand = defineServerCommand({
  name: 'start',
  usage: `[--port N] [--host H] [--log-level ${logLevels.join('|')}]`,
  summary: `Run the server until Ctrl+C or SIGTERM: on PostgreSQL with --database, else on PGlite in the data folder (port ${defaultPort}, every interface)`,
  options: { port: { type: 'string' }, host: { type: 'string' }, 'log-level': { type: 'string', field: 'logLevel' } },
  positionals: [],
  schema: z.object({
    port: z
      .string()
      .regex(/^\d{1,5}$/, 'must be a port number from 0 (any free port) to 65535')
      .transform(Number)
      .refine((port) => port <= 65535, 'must be a port number from 0 (any free port) to 65535')
      .default(defaultPort),
    host: z.string().trim().min(1, 'is empty').default('0.0.0.0'),
    logLevel: z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` }).optional(),
  }),
  async run(context, input) {
    // Structured logs, one JSON object a line on stdout, for the service manager to keep.
    const logger = pino(
      { level: input.logLevel ?? context.io.env.BOX_OFFICE_SERVER_LOG_LEVEL ?? 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
      context.io.stdout,
    );
    let server: StartedServer;
    try {
      server = await startServer({ dataDir: context.dataDir, database: context.database, port: input.port, host: input.host, logger });
    } catch (error) {
      throw new OperationFailed(startFailure(error, input.port));
    }
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    logger.info({ signal }, 'box-office-server stopping: finishing the requests in flight');
    // A second signal while stopping means now: the store's last transaction is PostgreSQL's to undo.
    const again = () => {
      logger.warn('box-office-server stopped at once, by a second signal');
      process.exit(1);
    };
    process.once('SIGINT', again);
    process.once('SIGTERM', again);
    await server.close();
    process.off('SIGINT', again);
    process.off('SIGTERM', again);
    return 0;
  },
});

function startFailure(error: unknown, port: number): string {
  if (error instanceof StoreInUseError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return `Port ${port} is in use already: choose another with --port`;
  if (code === 'EACCES') return `Port ${port} needs privileges this user does not have: choose one above 1023 with --port`;
  return `The server could not start: ${error instanceof Error ? error.message : String(error)}`;
}
