import type { HandlerMap } from '../api/handlers.ts';
import { searchWebUsers } from '../customers/web-user.ts';
import type { webUserOperations } from './web-users.contract.ts';

export const webUserHandlers: HandlerMap<typeof webUserOperations> = {
  'webUsers.search': (context, input) => searchWebUsers(context, input),
};
