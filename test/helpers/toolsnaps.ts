import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a per-tool snapshot check found: one entry per problem, empty when every snapshot matches. */
export interface ToolsnapReport {
  missing: string[];
  stale: string[];
  orphaned: string[];
  written: string[];
}

/** One tool as tools/list returns it (only the name is read here; the rest is snapshotted as is). */
interface ListedTool {
  name: string;
}

/**
 * Compares each listed tool with `<dir>/<tool>.json`. With `update` (UPDATE_TOOLSNAPS=1) it rewrites
 * missing or stale files and deletes snapshots of tools no longer listed; in CI it never writes, so a
 * forgotten update fails the build instead of passing silently.
 */
export function checkToolsnaps(
  dir: string,
  tools: ListedTool[],
  opts: { update: boolean; ci: boolean },
): ToolsnapReport {
  const report: ToolsnapReport = { missing: [], stale: [], orphaned: [], written: [] };
  const write = opts.update && !opts.ci;
  if (write) mkdirSync(dir, { recursive: true });
  const listed = new Set<string>();
  for (const tool of tools) {
    listed.add(tool.name);
    const file = join(dir, `${tool.name}.json`);
    const text = JSON.stringify(tool, null, 2) + '\n';
    const present = existsSync(file);
    if (present && readFileSync(file, 'utf8') === text) continue;
    if (write) {
      writeFileSync(file, text);
      report.written.push(tool.name);
    } else (present ? report.stale : report.missing).push(tool.name);
  }
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
  for (const f of files) {
    const name = f.slice(0, -'.json'.length);
    if (listed.has(name)) continue;
    if (write) {
      unlinkSync(join(dir, f));
      report.written.push(name);
    } else report.orphaned.push(name);
  }
  return report;
}
