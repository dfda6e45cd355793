export interface JsonShapeLimits {
  /** Deepest nesting of objects and arrays accepted (the event itself is level 1). */
  maxDepth: number;
  /** Most object keys and array elements accepted, counted over the whole event. */
  maxKeys: number;
}

// PostgreSQL cannot store NUL in text or jsonb: the event log would fail on the event.
const NUL_REASON = 'event contains a NUL character (\\u0000), which cannot be stored';

/**
 * An explicit stack, not recursion: an event nested thousands deep must not overflow here, nor
 * reach the stores and consumers downstream.
 */
export function checkJsonShape(value: unknown, limits: JsonShapeLimits): string | null {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  let keys = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limits.maxDepth) return `event nests deeper than ${limits.maxDepth} levels`;
    const children = Array.isArray(node) ? node : Object.values(node);
    keys += children.length;
    if (keys > limits.maxKeys) return `event has more than ${limits.maxKeys} keys and array elements`;
    if (!Array.isArray(node) && Object.keys(node).some((key) => key.includes('\u0000'))) return NUL_REASON;
    for (const child of children) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth: depth + 1 });
      else if (typeof child === 'string' && child.includes('\u0000')) return NUL_REASON;
    }
  }
  return null;
}
