import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkToolsnaps } from '../helpers/toolsnaps.js';

const tools = [
  { name: 'a_get_post', title: 'A' },
  { name: 'b_get_post', title: 'B' },
];

describe('per-tool snapshots', () => {
  it('reports missing, stale and orphaned snapshots without writing when not asked to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toolsnaps-'));
    writeFileSync(join(dir, 'a_get_post.json'), '{}\n');
    writeFileSync(join(dir, 'gone_tool.json'), '{}\n');
    const report = checkToolsnaps(dir, tools, { update: false, ci: false });
    expect(report).toEqual({
      missing: ['b_get_post'],
      stale: ['a_get_post'],
      orphaned: ['gone_tool'],
      written: [],
    });
    expect(readdirSync(dir).sort()).toEqual(['a_get_post.json', 'gone_tool.json']);
  });

  it('rewrites and prunes with update, then finds nothing to report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toolsnaps-'));
    writeFileSync(join(dir, 'gone_tool.json'), '{}\n');
    const first = checkToolsnaps(dir, tools, { update: true, ci: false });
    expect(first.written.sort()).toEqual(['a_get_post', 'b_get_post', 'gone_tool']);
    expect(readdirSync(dir).sort()).toEqual(['a_get_post.json', 'b_get_post.json']);
    expect(JSON.parse(readFileSync(join(dir, 'b_get_post.json'), 'utf8'))).toEqual(tools[1]);
    expect(checkToolsnaps(dir, tools, { update: false, ci: false })).toEqual({
      missing: [],
      stale: [],
      orphaned: [],
      written: [],
    });
  });

  it('refuses to write in CI even when asked to update', () => {
    const dir = mkdtempSync(join(tmpdir(), 'toolsnaps-'));
    const report = checkToolsnaps(dir, tools, { update: true, ci: true });
    expect(report.missing).toEqual(['a_get_post', 'b_get_post']);
    expect(readdirSync(dir)).toEqual([]);
  });
});
