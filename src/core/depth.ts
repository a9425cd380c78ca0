/** How deep tool arguments may nest (objects and arrays), documented in the README and ADR 0081. */
export const MAX_ARGUMENT_DEPTH = 32;
/** How deep a provider's JSON answer may nest before it is refused as malformed. */
export const MAX_RESPONSE_DEPTH = 256;

/**
 * The path to the first object or array nested deeper than `max` (the root is depth 1), or undefined.
 * Iterative, so a value of any depth is measured without touching the call stack.
 */
export function pathDeeperThan(value: unknown, max: number): (string | number)[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  // Parent links instead of a path per node: the path is built only for the one that is too deep.
  interface Frame {
    node: object;
    depth: number;
    key: string | number;
    parent: Frame | undefined;
  }
  const stack: Frame[] = [{ node: value, depth: 1, key: '', parent: undefined }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.depth > max) {
      const path: (string | number)[] = [];
      for (let f: Frame | undefined = frame; f?.parent; f = f.parent) path.unshift(f.key);
      return path;
    }
    const children: Iterable<[string | number, unknown]> = Array.isArray(frame.node)
      ? frame.node.entries()
      : Object.entries(frame.node);
    for (const [key, child] of children) {
      if (typeof child === 'object' && child !== null)
        stack.push({ node: child, depth: frame.depth + 1, key, parent: frame });
    }
  }
  return undefined;
}
