import type { CoreContext } from '../commands/command.ts';
import type { Role } from './roles.ts';

/** Who is calling core: an operator signed in, or a host acting on its own authority (the CLI). */
export interface Caller {
  name: string;
  role: Role;
  /**
   * The operator row this caller signed in as (sign-in, first admin, the CLI's --operator). Core
   * reads that row again on every call (access.ts), so a role change applies at the session's next
   * call and a removed operator is signed out. Absent for a host acting on its own authority (the
   * CLI's local administrator, a test's admin): there is no row to check.
   */
  operatorId?: string;
}

/**
 * One client's sign-in: a WebSocket connection of the web host, an Electron window, a CLI run.
 * Each has its own, so two windows can be signed in as two operators. The wrong-PIN count here
 * slows one connection trying many names; the count per name lives in the store (lockout.ts).
 */
export interface Session {
  caller: Caller | null;
  /** Wrong PINs typed in this session since its last sign-in. */
  failures: number;
  /** Epoch ms before which this session may not try a PIN again; 0 when it may. */
  blockedUntil: number;
}

export function newSession(caller: Caller | null = null): Session {
  return { caller, failures: 0, blockedUntil: 0 };
}

/** The context core hands to a handler: CoreContext plus the caller's session. */
export interface SessionContext extends CoreContext {
  session: Session;
}

/** The session of the call a handler runs in (core/api/core.ts always provides one). */
export function sessionOf(context: CoreContext): Session {
  const session = (context as Partial<SessionContext>).session;
  if (!session) throw new Error('This operation needs the session of its caller');
  return session;
}
