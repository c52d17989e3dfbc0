import { z } from 'zod';
import { cliArguments, defineCliCommand } from '../cli-command.ts';
import { formatMoney, formatTable } from '../format.ts';
import { displayCurrency, invokeOrFail } from '../invoke.ts';

export const searchCommand = defineCliCommand({
  name: 'search',
  usage: 'QUERY [--limit N]',
  summary: 'Find customers by name, e-mail, phone, ticket reference or tag UID',
  options: { limit: { type: 'string' } },
  positionals: ['QUERY...'],
  schema: z.object({
    query: z
      .array(z.string())
      .transform((words) => words.join(' '))
      .pipe(
        z
          .string()
          .trim()
          .refine((query) => query !== '', { message: 'Give something to search for: a name, e-mail, phone, ticket reference or tag UID', params: cliArguments.wholeSentence }),
      ),
    limit: cliArguments.wholeNumber(1, 100).default(25),
  }),
  async run(context, args) {
    const host = context.host();
    const { results } = await invokeOrFail(host, 'customers.search', { query: args.query, limit: args.limit });
    if (context.options.json) {
      context.io.stdout.write(`${JSON.stringify({ results })}\n`);
      return 0;
    }
    if (results.length === 0) {
      context.io.stdout.write(`No customers match "${args.query}".\n`);
      return 0;
    }
    const currency = await displayCurrency(host);
    context.io.stdout.write(
      formatTable(
        ['Name', 'Email', 'Total spent', 'Status', 'Matched by', 'Customer id'],
        results.map((result) => [
          result.name ?? 'Anonymous customer',
          result.email ?? '—',
          formatMoney(result.totalSpent, currency),
          result.verificationStatus === 'verified' ? 'Verified' : 'Non-verified',
          result.matchedValue ? `${result.matchedBy} ${result.matchedValue}` : result.matchedBy,
          result.customerId,
        ]),
      ),
    );
    return 0;
  },
});
