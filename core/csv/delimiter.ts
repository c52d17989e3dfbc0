/**
 * The field delimiter of an imported file, read from its header line: whichever of comma,
 * semicolon (Excel in most European locales) and tab occurs most often outside quotes. Ties and a
 * one-column header fall back to comma.
 */
export const delimiterCandidates = [',', ';', '\t'] as const;
export type Delimiter = (typeof delimiterCandidates)[number];

export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<string, number>(delimiterCandidates.map((candidate) => [candidate, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: Delimiter = ',';
  for (const candidate of delimiterCandidates) {
    if (counts.get(candidate)! > counts.get(best)!) best = candidate;
  }
  return best;
}
