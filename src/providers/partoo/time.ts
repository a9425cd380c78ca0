// Partoo's time formats (api-docs/partoo-update-post.md): requests take naive `YYYY-MM-DDTHH:MM:SS`;
// schedule_time is read as UTC, start_at/end_at in the business's own timezone.

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$/;

/** schedule_time "needs to be at least 2 hours after the time of the request" (api-docs), exactly. */
export const SCHEDULE_LEAD_MS = 2 * 60 * 60 * 1000;

/** The earliest schedule_time allowed at `nowMs`, rounded up to the next whole second, naive UTC. */
export function earliestScheduleTime(nowMs: number): string {
  return naiveUtc(Math.ceil((nowMs + SCHEDULE_LEAD_MS) / 1000) * 1000);
}

/** The naive `YYYY-MM-DDTHH:MM:SS` form of an instant, in UTC. */
export function naiveUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/** Parses naive / `Z` / offset ISO into epoch ms (naive read as UTC); undefined when not a real time. */
export function parseUtc(value: string): number | undefined {
  const m = ISO.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', zone] = m;
  const naive = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const ms = Date.parse(`${naive}${zone && zone !== 'Z' ? zone : 'Z'}`);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March: a round trip catches impossible dates.
  if (new Date(Date.parse(`${naive}Z`)).toISOString().slice(0, 19) !== naive) return undefined;
  return ms;
}

/** A naive local time `YYYY-MM-DDTHH:MM[:SS]` completed to seconds; undefined when it carries a zone or is invalid. */
export function naiveLocal(value: string): string | undefined {
  const m = ISO.exec(value);
  if (!m || m[7] !== undefined) return undefined;
  const naive = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}`;
  return parseUtc(naive) === undefined ? undefined : naive;
}

/** A provider timestamp (with or without offset) as naive UTC, for the update tool's schedule_time. */
export function responseTimeAsNaiveUtc(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = parseUtc(value) ?? Date.parse(value);
  return Number.isNaN(ms) ? value : naiveUtc(ms);
}

/** A provider start/end time as the naive local form the request takes (its offset, if any, dropped). */
export function responseTimeAsNaiveLocal(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = ISO.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}` : value;
}
