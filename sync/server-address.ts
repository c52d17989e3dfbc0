import { z } from 'zod';

/**
 * A central server's address as staff type it (the CLI's --server, the Sync screen's enrolment
 * form): http or https, no path beyond the server's own, no trailing slash kept. Zod only, so the
 * renderer checks the form with the same rule the terminal's client applies.
 */
export const serverUrlSchema = z
  .url({ protocol: /^https?$/, error: 'The server address is a URL such as http://192.168.1.10:8080' })
  .transform((url) => url.replace(/\/+$/, ''));
