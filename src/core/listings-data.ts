// Replaced in the bundle by tools/bundle.mjs with every tools/list entry computed at build time from
// the tools' own zod schemas (ADR 0160). Empty here: the tsc build and the tests compute each entry.

/** Serialized tools/list entries by listing key (`name`, or `name#variant`). */
export const PREBUILT_LISTINGS: Readonly<Record<string, string>> = {};
