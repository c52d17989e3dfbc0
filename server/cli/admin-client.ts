import type { Clock } from '../../core/clock.ts';
import { errorResponseSchema, protocolHeader, protocolVersion } from '../../sync/protocol.ts';
import { adminContract, type AdminInput, type AdminOperationName, type AdminOutput } from '../admin/admin.contract.ts';
import { adminHandlers, runAdminOperation } from '../admin/admin.handlers.ts';
import { hasPgliteDatabase, lockStore, pgliteDir, readRunningServer, StoreInUseError, type RunningServer, type StoreLock } from '../data-folder.ts';
import { openServerDatabase, type ServerDatabase } from '../db/database.ts';
import { OperationFailed } from './cli-command.ts';

/**
 * How the CLI runs an admin operation. While a server runs on the data folder (server.json is there
 * and the server answers /health), through its /admin routes: one PGlite database is open in one
 * process. Otherwise on the store opened here, through the same handlers the routes run.
 */
export interface AdminClient {
  readonly via: 'server' | 'store';
  call<K extends AdminOperationName>(name: K, input: AdminInput<K>): Promise<AdminOutput<K>>;
  close(): Promise<void>;
}

export interface AdminClientOptions {
  dataDir: string;
  database: string | undefined;
  clock: Clock;
}

export async function openAdminClient(options: AdminClientOptions): Promise<AdminClient> {
  const running = readRunningServer(options.dataDir);
  if (running && (await answers(running))) return serverAdminClient(running);
  return storeAdminClient(options);
}

// A server that does not answer its health check in this long is taken as not running.
const healthTimeoutMs = 3000;

async function answers(running: RunningServer): Promise<boolean> {
  try {
    const response = await fetch(new URL('/health', running.url), { signal: AbortSignal.timeout(healthTimeoutMs) });
    return response.ok;
  } catch {
    return false;
  }
}

function serverAdminClient(running: RunningServer): AdminClient {
  return {
    via: 'server',
    async call(name, input) {
      const operation = adminContract[name];
      const { path, body } = requestOf(operation.path, input);
      let response: Response;
      try {
        response = await fetch(new URL(path, running.url), {
          method: operation.method,
          headers: {
            authorization: `Bearer ${running.adminToken}`,
            [protocolHeader]: String(protocolVersion),
            ...(operation.method === 'POST' ? { 'content-type': 'application/json' } : {}),
          },
          ...(operation.method === 'POST' ? { body: JSON.stringify(body) } : {}),
        });
      } catch (error) {
        throw new OperationFailed(`The server at ${running.url} did not answer (${causeOf(error)}): is it still running?`);
      }
      const json: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const refusal = errorResponseSchema.safeParse(json);
        throw new OperationFailed(refusal.success ? refusal.data.error.message : `The server at ${running.url} answered ${response.status}`);
      }
      const output = operation.output.safeParse(json);
      if (!output.success) throw new OperationFailed(`The server at ${running.url} answered ${name} in a form this command does not know: is it another version?`);
      return output.data as AdminOutput<typeof name>;
    },
    close: async () => {},
  };
}

/** Fills the path's `:field` segments from the input; the other fields are the body. */
function requestOf(template: string, input: object): { path: string; body: Record<string, unknown> } {
  const body: Record<string, unknown> = { ...input };
  const path = template.replace(/:(\w+)/g, (_, field: string) => {
    const value = body[field];
    delete body[field];
    return encodeURIComponent(String(value));
  });
  return { path, body };
}

async function storeAdminClient(options: AdminClientOptions): Promise<AdminClient> {
  const { dataDir, database } = options;
  let lock: StoreLock | undefined;
  let db: ServerDatabase;
  if (database === undefined) {
    if (!hasPgliteDatabase(dataDir)) {
      throw new OperationFailed(`No Box Office server data in ${dataDir} (check --data-dir, or give --database; box-office-server start creates it)`);
    }
    try {
      lock = lockStore(dataDir, 'a box-office-server command');
    } catch (error) {
      if (error instanceof StoreInUseError) throw new OperationFailed(error.message);
      throw error;
    }
  }
  try {
    db = await openServerDatabase(database === undefined ? { pglite: pgliteDir(dataDir) } : { postgres: database });
  } catch (error) {
    lock?.release();
    throw new OperationFailed(`Could not open the server's database (${causeOf(error)})`);
  }
  const handlers = adminHandlers(db, options.clock);
  return {
    via: 'store',
    call: (name, input) => runAdminOperation(handlers, name, input),
    async close() {
      await db.destroy();
      lock?.release();
    },
  };
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
