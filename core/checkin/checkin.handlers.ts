import type { HandlerMap } from '../api/handlers.ts';
import { runCommand } from '../commands/command.ts';
import { scanAtTerminal } from './answered-scans.ts';
import { newId } from '../ids.ts';
import type { checkinOperations } from './checkin.contract.ts';
import { checkinCounts } from './counts.ts';
import { latestVerdict, rememberLatestVerdict } from './latest-verdict.ts';
import { undoScan } from './undo.ts';

export const checkinHandlers: HandlerMap<typeof checkinOperations> = {
  'checkin.scan': (context, input) => {
    const verdict = scanAtTerminal(context, { ...input, scanId: newId() });
    // After the commit (or, for a scan answered while the sync worker writes, after it is in the
    // answered scans' file): a second screen or the live panel never shows a verdict that is undone.
    rememberLatestVerdict(context.store, verdict);
    context.emit({ type: 'checkin.verdict', verdict });
    return verdict;
  },
  'checkin.latestVerdict': (context) => ({ verdict: latestVerdict(context.store) }),
  'checkin.undo': (context, input) => {
    const undone = runCommand(context, undoScan, input);
    context.emit({ type: 'checkin.undone', ...undone });
    return undone;
  },
  'checkin.counts': (context, input) => checkinCounts(context.store, context.clock, input),
};
