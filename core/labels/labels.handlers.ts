import type { HandlerMap } from '../api/handlers.ts';
import { listLabels } from '../customers/labels.ts';
import type { labelOperations } from './labels.contract.ts';

export const labelHandlers: HandlerMap<typeof labelOperations> = {
  'labels.list': (context) => listLabels(context),
};
