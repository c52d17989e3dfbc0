/**
 * Quantity rules of an order line, shared by orders.create and the New order dialog (which checks
 * as staff type), so both say the same sentence at the same field.
 */

/** One line asks for at most this many units; a bigger order is several lines or a second order. */
export const maxQuantityPerLine = 100;

export const quantityMessages = {
  notWhole: 'Quantity must be a whole number',
  belowOne: 'Quantity must be at least 1',
  aboveLineMaximum: `Quantity must be at most ${maxQuantityPerLine}`,
} as const;

/** "Only 100 left of Festival T-shirt"; `pack` names the pack the units would come in. */
export function onlyLeftMessage(left: number, itemName: string, pack?: string | null): string {
  return pack ? `Only ${left} left of ${itemName}, which ${pack} contains` : `Only ${left} left of ${itemName}`;
}

/** What is wrong with a quantity typed for an item with `left` units (null: unlimited); null when nothing. */
export function quantityProblem(quantity: number, itemName: string, left: number | null): string | null {
  if (!Number.isInteger(quantity)) return quantityMessages.notWhole;
  if (quantity < 0) return quantityMessages.belowOne;
  if (left !== null && quantity > left) return onlyLeftMessage(left, itemName);
  if (quantity > maxQuantityPerLine) return quantityMessages.aboveLineMaximum;
  return null;
}
