import { describe, expect, it } from 'vitest';
import { classifyInfinipostError, parseInfinipostError } from '../../src/providers/infinipost/errors.js';
import {
  normalizeInfinipostPost,
  editableInfinipostFields,
} from '../../src/providers/infinipost/normalize.js';
import { infinipostPostSchema, infinipostUpdateInput } from '../../src/providers/infinipost/schemas.js';
import { localTimeIn, localToUtc, utcToLocal } from '../../src/providers/infinipost/time.js';

describe('Infinipost time rules', () => {
  it('converts local time in a zone to UTC and back, across daylight saving', () => {
    expect(localToUtc('2024-04-22T15:00', 'America/New_York')).toBe(Date.UTC(2024, 3, 22, 19, 0));
    expect(localToUtc('2024-01-22T15:00', 'America/New_York')).toBe(Date.UTC(2024, 0, 22, 20, 0));
    expect(utcToLocal('2024-04-22T19:00:00Z', 'America/New_York')).toBe('2024-04-22T15:00');
    expect(localTimeIn(Date.UTC(2024, 6, 1, 12, 0), 'Europe/Paris')).toBe('2024-07-01T14:00');
  });

  it('refuses a wall-clock time skipped by the spring-forward jump and an impossible date', () => {
    expect(localToUtc('2024-03-10T02:30', 'America/New_York')).toBeUndefined();
    expect(localToUtc('2024-02-30T10:00', 'Europe/Paris')).toBeUndefined();
    expect(localToUtc('2024-02-01 10:00', 'Europe/Paris')).toBeUndefined();
    expect(utcToLocal('not a time', 'Europe/Paris')).toBeNull();
    expect(utcToLocal('2024-04-22T19:00:00Z', 'Mars/Olympus')).toBeNull();
  });
});

describe('Infinipost field rules (update schema)', () => {
  it('names timezone when scheduledTime comes alone, and refuses seconds in scheduledTime', () => {
    const alone = infinipostUpdateInput.safeParse({ scheduledTime: '2026-07-01T09:00' });
    expect(alone.error?.issues[0]?.path).toEqual(['timezone']);
    expect(
      infinipostUpdateInput.safeParse({ scheduledTime: '2026-07-01T09:00:00', timezone: 'Europe/Paris' })
        .success,
    ).toBe(false);
    expect(infinipostUpdateInput.parse({ caption: null }).caption).toBe('');
  });
});

describe('Infinipost normalizer', () => {
  const raw = infinipostPostSchema.parse({
    postId: 'post_1',
    accountId: 'acc_1',
    platform: 'tiktok',
    contentType: 'video',
    contentUrl: 'https://cdn.example.com/v.mp4',
    caption: 'First line\nsecond',
    timezone: 'America/New_York',
    scheduledTime: '2024-04-22T19:00:00Z',
    status: 'generated',
    createdAt: '2024-04-20T10:00:00Z',
  });

  it('makes the caption the body, its first line the title, and generated a scheduled post', () => {
    const p = normalizeInfinipostPost(raw);
    expect(p).toMatchObject({
      provider: 'infinipost',
      id: 'post_1',
      title: 'First line',
      body: 'First line\nsecond',
      status: 'scheduled',
      provider_status: 'generated',
      scheduled_at: '2024-04-22T19:00:00.000Z',
      url: null,
    });
    expect(p.fields).toMatchObject({
      scheduledTime: '2024-04-22T15:00',
      timezone: 'America/New_York',
      platform: 'tiktok',
      accountId: 'acc_1',
    });
    expect(p.fields).not.toHaveProperty('caption');
  });

  it('reads an unknown status as unknown and gives the editable caption back', () => {
    expect(normalizeInfinipostPost({ ...raw, status: 'mystery' }).status).toBe('unknown');
    expect(editableInfinipostFields(raw).caption).toBe('First line\nsecond');
  });
});

describe('Infinipost error parser and classification', () => {
  it('reads {error:{code,message}} and {error:"…"} as data', () => {
    expect(parseInfinipostError({ error: { code: 'cannot_edit', message: 'Post already posted' } })).toEqual({
      code: 'cannot_edit',
      message: 'Post already posted',
    });
    expect(parseInfinipostError({ error: 'Unauthorized' })).toEqual({ message: 'Unauthorized' });
    expect(parseInfinipostError({ error: {} })).toBeUndefined();
  });

  it('makes cannot_edit not_editable whatever the status, and leaves other codes to the status', () => {
    const decided = classifyInfinipostError(409, { code: 'cannot_edit', message: 'Post already posted' });
    expect(decided).toMatchObject({
      code: 'not_editable',
      message: 'Infinipost refused: Post already posted',
      retryable: false,
    });
    expect(classifyInfinipostError(400, { code: 'cannot_edit', message: '' })?.message).toBe(
      'Infinipost refused: cannot_edit',
    );
    expect(classifyInfinipostError(400, { code: 'validation_error', message: 'bad' })).toBeUndefined();
  });
});
