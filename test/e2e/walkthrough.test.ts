import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  captureWalkthrough,
  maskVolatile,
  parseWalkthrough,
  type WalkthroughStep,
} from '../../tools/walkthrough-capture.js';
import { SERVER_ENTRY } from '../helpers/harness.js';

// The README's safe-edit walkthrough must be what the built server answers today: the same calls and
// the same answers, except values that change on every run (versions, tokens, journal ids, times).
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const shown = parseWalkthrough(readme);
let fresh: WalkthroughStep[];

beforeAll(async () => {
  fresh = await captureWalkthrough(SERVER_ENTRY);
});

describe("README's safe-edit walkthrough (regenerate with `npm run walkthrough`)", () => {
  it('shows get → dry run → write → confirm → history → revert, one JSON answer per call', () => {
    expect(shown.map((s) => s.tool)).toEqual(fresh.map((s) => s.tool));
    expect(shown.map((s) => s.tool)).toEqual([
      'flowcms_get_post',
      'flowcms_update_post',
      'flowcms_update_post',
      'flowcms_unpublish_post',
      'flowcms_unpublish_post',
      'post_history',
      'flowcms_get_post',
      'revert_post',
    ]);
  });

  it('has the arguments and answers the server gives now', () => {
    shown.forEach((step, i) => {
      const now = fresh[i]!;
      expect(maskVolatile(step.args), `arguments of step ${i + 1}`).toEqual(maskVolatile(now.args));
      expect(maskVolatile(step.answer), `answer of step ${i + 1}`).toEqual(maskVolatile(now.result));
    });
  });

  it('chains as a reader would: each write quotes the version and token the README showed before it', () => {
    const version = (i: number) => {
      const a = shown[i]!.answer as { version?: string; post?: { version?: string } };
      return a.post?.version ?? a.version;
    };
    expect(shown[1]!.args.expected_version).toBe(version(0));
    expect(shown[2]!.args.expected_version).toBe(version(0));
    expect(shown[3]!.args.expected_version).toBe(version(2));
    expect(shown[4]!.args.confirm_token).toBe(
      (shown[3]!.answer as { error: { confirm_token: string } }).error.confirm_token,
    );
    const entries = (shown[5]!.answer as { entries: { journal_id: string; tool: string }[] }).entries;
    expect(shown[7]!.args.journal_id).toBe(
      entries.find((e) => e.tool === 'flowcms_unpublish_post')?.journal_id,
    );
    expect(shown[7]!.args.expected_version).toBe(version(6));
    expect((shown[7]!.answer as { post: { status: string } }).post.status).toBe('published');
  });
});
