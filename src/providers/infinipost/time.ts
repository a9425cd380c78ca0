// Infinipost takes `scheduledTime` as naive local time in one of 11 IANA zones and answers in UTC
// (api-docs/infinipost-edit-post.md). Intl is the only zone database Node ships, so both directions use it.

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

function formatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** The wall-clock time of an instant in a zone, as `YYYY-MM-DDTHH:MM`. */
export function localTimeIn(instantMs: number, timeZone: string): string {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(instantMs))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** A UTC ISO timestamp (e.g. `2024-04-22T19:00:00Z`) as local `YYYY-MM-DDTHH:MM` in the zone; null if unreadable. */
export function utcToLocal(iso: string, timeZone: string): string | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  try {
    return localTimeIn(ms, timeZone);
  } catch {
    return null; // a zone Intl does not know
  }
}

/**
 * Local `YYYY-MM-DDTHH:MM` in a zone → the UTC instant (ms). Undefined for a date that does not exist
 * (30 February) or a wall-clock time skipped by a daylight-saving jump.
 */
export function localToUtc(local: string, timeZone: string): number | undefined {
  const m = LOCAL.exec(local);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asIfUtc = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes: the offset at the first guess may differ from the offset at the answer near a DST change.
  let utc = asIfUtc - offsetAt(asIfUtc, timeZone);
  utc = asIfUtc - offsetAt(utc, timeZone);
  return localTimeIn(utc, timeZone) === local ? utc : undefined;
}

function offsetAt(instantMs: number, timeZone: string): number {
  const local = LOCAL.exec(localTimeIn(instantMs, timeZone));
  if (!local) return 0;
  const [y, mo, d, h, mi] = local.slice(1).map(Number) as [number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi) - Math.floor(instantMs / 60_000) * 60_000;
}
