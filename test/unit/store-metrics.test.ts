import { describe, expect, it } from 'vitest';
import { enableMetrics } from '../../src/core/metrics.js';
import { notStored } from '../../src/store/common.js';

describe('journal store errors in the metrics', () => {
  it('counts a pre-image that could not be stored under operation="append"', async () => {
    const registry = await enableMetrics(() => 0);
    const refusal = notStored('the test journal', 'the disk is full', 'free some space');
    expect(refusal.code).toBe('provider_error');
    expect(refusal.message).toMatch(/nothing was sent to the provider/);
    const text = await registry.getSingleMetricAsString('post_editor_store_errors_total');
    expect(text).toMatch(/post_editor_store_errors_total\{operation="append"\} 1\b/);
  });
});
