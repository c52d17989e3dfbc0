/**
 * Comparing ticket type names as staff type them: "Wekend" for "Weekend", "day-ticket" for
 * "Day ticket". Pure, so the import planner and the screen's choices agree.
 */

/** Lower case, accents and everything but letters and digits dropped: "Day-Ticket " → "dayticket". */
export function normalizedTypeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Edits (insert, delete, replace, swap of neighbours) turning one text into the other. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The existing type a name most likely means, or null when none is close: equal once normalised,
 * or at most one edit per four characters (at least one), so "Wekend" finds "Weekend" but "VIP"
 * does not find "Day".
 */
export function closestTypeName(name: string, existing: readonly string[]): string | null {
  const wanted = normalizedTypeName(name);
  let best: { name: string; distance: number } | null = null;
  for (const candidate of existing) {
    const distance = editDistance(wanted, normalizedTypeName(candidate));
    if (distance <= Math.max(1, Math.floor(Math.max(wanted.length, 1) / 4)) && (best === null || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name ?? null;
}
