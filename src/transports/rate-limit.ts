/** A token bucket per client: `perMinute` tokens, refilled continuously; 0 disables it. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: number) {}

  /** The bucket's size: the most one client may spend at once. */
  get capacity(): number {
    return this.perMinute;
  }

  /**
   * Takes `cost` tokens, all or none; returns 0 when allowed, else the milliseconds until they are
   * available (Infinity when `cost` is more than the bucket can ever hold).
   */
  take(key: string, now = Date.now(), cost = 1): number {
    const wait = this.wait(key, now, cost);
    const bucket = this.buckets.get(key);
    if (wait === 0 && bucket) bucket.tokens -= cost;
    return wait;
  }

  /** Like take, without spending: 0 when `cost` tokens are there now. */
  wait(key: string, now = Date.now(), cost = 1): number {
    if (this.perMinute <= 0) return 0;
    if (cost > this.perMinute) return Infinity;
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.at) * ratePerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.prune(now);
    return bucket.tokens >= cost ? 0 : Math.ceil((cost - bucket.tokens) / ratePerMs);
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at > 60_000) this.buckets.delete(key);
    }
  }
}

/** How many JSON-RPC messages a POST body holds: each one costs a rate-limit token. */
export function messageCount(body: unknown): number {
  return Array.isArray(body) ? Math.max(1, body.length) : 1;
}
