/**
 * A pure function of a string with its answers remembered, for the few distinct keys a hot path sees
 * (Host headers, provider origins, timestamps): past `max` keys all are forgotten at once.
 */
export function remembered<V>(fn: (key: string) => V, max: number): (key: string) => V {
  const seen = new Map<string, V>();
  return (key) => {
    const hit = seen.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (seen.size >= max) seen.clear();
    seen.set(key, value);
    return value;
  };
}
