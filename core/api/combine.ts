/** The intersection of a union of object types: `{ a } | { b }` becomes `{ a } & { b }`. */
type Intersection<U> = (U extends unknown ? (part: U) => void : never) extends (whole: infer I) => void ? I : never;

/**
 * Merges the per-prefix maps of operations (contracts, or their handlers) into one (DESIGN.md
 * section 11, Actual Budget's `createApp().combine()`). A name defined twice throws when the module
 * loads, so two files can never silently replace each other's operation the way an object spread would.
 */
export function combine<M extends readonly Record<string, unknown>[]>(...maps: M): Intersection<M[number]> {
  const combined: Record<string, unknown> = {};
  for (const map of maps) {
    for (const [name, value] of Object.entries(map)) {
      if (Object.hasOwn(combined, name)) throw new Error(`Operation ${name} is defined twice`);
      combined[name] = value;
    }
  }
  return combined as Intersection<M[number]>;
}
