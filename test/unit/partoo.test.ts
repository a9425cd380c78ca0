import { describe, expect, it } from 'vitest';
import { classifyPartooError, parsePartooError } from '../../src/providers/partoo/errors.js';
import {
  normalizePartooPost,
  editablePartooFields,
  mergedStatus,
} from '../../src/providers/partoo/normalize.js';
import { partooPostSchema, partooUpdateInput } from '../../src/providers/partoo/schemas.js';
import {
  naiveLocal,
  parseUtc,
  responseTimeAsNaiveLocal,
  responseTimeAsNaiveUtc,
} from '../../src/providers/partoo/time.js';

const post = (over: Record<string, unknown> = {}) =>
  partooPostSchema.parse({
    id: 34,
    business_id: 'biz_1',
    post_type: 'offer',
    summary: 'Spring sale\nEverything -20%',
    schedule_time: '2026-03-01T10:00:00+00:00',
    start_at: '2026-03-01T09:00:00+01:00',
    end_at: '2026-03-10T18:00:00',
    validation_time: '2026-02-28T08:00:00Z',
    offer_code: 'SPRING',
    cta_link: 'https://example.com/sale',
    cta_type: 'shop',
    post_medias: [{ media_url: 'https://img.example.com/a.jpg' }],
    post_status: [
      { name: 'google_my_business__posts', state: 'live', link: 'https://g.page/p/34' },
      { name: 'facebook__posts', state: 'live' },
    ],
    post_insight: { views: 10 },
    ...over,
  });

describe('Partoo time rules', () => {
  it('reads naive, Z and offset times as UTC instants and refuses impossible dates', () => {
    expect(parseUtc('2026-01-01T10:00:00')).toBe(Date.UTC(2026, 0, 1, 10));
    expect(parseUtc('2026-01-01T10:00:00Z')).toBe(Date.UTC(2026, 0, 1, 10));
    expect(parseUtc('2026-01-01T12:00:00+02:00')).toBe(Date.UTC(2026, 0, 1, 10));
    expect(parseUtc('2026-02-30T10:00:00')).toBeUndefined();
    expect(parseUtc('tomorrow')).toBeUndefined();
  });

  it('takes a naive local time only without a zone, completing the seconds', () => {
    expect(naiveLocal('2026-05-01T09:30')).toBe('2026-05-01T09:30:00');
    expect(naiveLocal('2026-05-01T09:30:00Z')).toBeUndefined();
    expect(naiveLocal('2026-05-01T09:30:00+02:00')).toBeUndefined();
  });

  it('gives response times back in the forms the update takes', () => {
    expect(responseTimeAsNaiveUtc('2026-03-01T12:00:00+02:00')).toBe('2026-03-01T10:00:00');
    expect(responseTimeAsNaiveUtc(null)).toBeNull();
    expect(responseTimeAsNaiveLocal('2026-03-01T09:00:00+01:00')).toBe('2026-03-01T09:00:00');
  });
});

describe('Partoo field rules (update schema)', () => {
  it('converts a schedule_time with an offset to naive UTC and refuses a local start_at with a zone', () => {
    expect(partooUpdateInput.parse({ schedule_time: '2050-01-01T11:00:00+02:00' }).schedule_time).toBe(
      '2050-01-01T09:00:00',
    );
    const bad = partooUpdateInput.safeParse({ start_at: '2050-01-01T09:00:00Z' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['start_at']);
  });

  it('refuses both link forms at once, turns null text into "" and a single image into a list', () => {
    expect(
      partooUpdateInput.safeParse({ link: { use_business_url: true, custom_url: 'https://x.example' } })
        .success,
    ).toBe(false);
    const parsed = partooUpdateInput.parse({ summary: null, image_url: 'https://img.example.com/a.jpg' });
    expect(parsed.summary).toBe('');
    expect(parsed.image_url).toEqual(['https://img.example.com/a.jpg']);
    expect(partooUpdateInput.safeParse({ publish: false }).success).toBe(false);
  });
});

describe('Partoo normalizer', () => {
  it('maps a live offer to the normalized post and its fields under the update names', () => {
    const p = normalizePartooPost(post());
    expect(p).toMatchObject({
      provider: 'partoo',
      id: '34',
      title: 'Spring sale',
      body: 'Spring sale\nEverything -20%',
      body_format: 'text',
      status: 'published',
      url: 'https://g.page/p/34',
      tags: ['offer'],
      provider_status: 'google_my_business__posts:live,facebook__posts:live',
    });
    expect(p.fields).toMatchObject({
      coupon_code: 'SPRING',
      link: { custom_url: 'https://example.com/sale' },
      image_url: ['https://img.example.com/a.jpg'],
      schedule_time: '2026-03-01T10:00:00',
      start_at: '2026-03-01T09:00:00',
      business_id: 'biz_1',
    });
    expect(p.fields).not.toHaveProperty('summary');
    expect(p.fields).not.toHaveProperty('title');
  });

  it('merges platform states: an error anywhere wins, an unvalidated expiring post is a draft', () => {
    expect(
      mergedStatus(
        post({
          post_status: [
            { name: 'a', state: 'live' },
            { name: 'b', state: 'error' },
          ],
        }),
      ),
    ).toBe('failed');
    expect(mergedStatus(post({ validation_time: null, expiration_time: '2026-04-01T00:00:00Z' }))).toBe(
      'draft',
    );
    expect(mergedStatus(post({ post_status: [{ name: 'a', state: 'expired' }] }))).toBe('archived');
  });

  it('keeps the version when only view counts change', () => {
    expect(normalizePartooPost(post({ post_insight: { views: 99 } })).version).toBe(
      normalizePartooPost(post()).version,
    );
    expect(normalizePartooPost(post({ summary: 'other' })).version).not.toBe(
      normalizePartooPost(post()).version,
    );
    expect(editablePartooFields(post()).title).toBeNull();
  });
});

describe('Partoo error parser and classification', () => {
  it('reads the field Partoo keyed its message by, past the webargs location', () => {
    expect(parsePartooError({ error: { json: { schedule_time: ['Too soon.'] } } })).toEqual({
      message: 'schedule_time: Too soon.',
      field: 'schedule_time',
    });
    expect(parsePartooError({ errors: { json: 'Resource not found' } })).toEqual({
      message: 'Resource not found',
    });
    expect(parsePartooError('<html>')).toBeUndefined();
    expect(parsePartooError({ unrelated: 1 })).toBeUndefined();
  });

  it('classifies only a 400 on schedule_time as its own invalid_input, naming the field', () => {
    const error = { message: 'schedule_time: Too soon.', field: 'schedule_time' };
    expect(classifyPartooError(400, error)).toMatchObject({
      code: 'invalid_input',
      field: 'schedule_time',
      prefix: 'Partoo refused schedule_time.',
    });
    expect(classifyPartooError(400, { message: 'summary: Too long', field: 'summary' })).toBeUndefined();
    expect(classifyPartooError(404, error)).toBeUndefined();
  });
});
