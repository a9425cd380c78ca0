import { describe, expect, it } from 'vitest';
import { partooErrorMessage } from '../../src/providers/partoo/errors.js';
import { earliestScheduleTime } from '../../src/providers/partoo/time.js';
import { checkInfinipostRules, scheduleWarnings } from '../../src/providers/infinipost/schemas.js';

describe('Partoo rules and errors', () => {
  it('drops the webargs location "json" from a 404 body but keeps field names in a 400 body', () => {
    expect(partooErrorMessage({ errors: { json: 'Resource not found' } })).toBe('Resource not found');
    expect(partooErrorMessage({ error: { json: { summary: ['Too long.'] } } })).toBe('summary: Too long.');
    expect(partooErrorMessage({ errors: { authentication: 'User not authenticated' } })).toBe(
      'authentication: User not authenticated',
    );
  });

  it('puts the earliest schedule_time exactly 2 hours ahead, rounded up to the second, with no margin', () => {
    expect(earliestScheduleTime(Date.UTC(2026, 0, 1, 10, 0, 0, 0))).toBe('2026-01-01T12:00:00');
    expect(earliestScheduleTime(Date.UTC(2026, 0, 1, 10, 0, 0, 1))).toBe('2026-01-01T12:00:01');
  });
});

describe('Infinipost rules', () => {
  const now = Date.UTC(2026, 5, 1, 12, 0);

  it('refuses only the documented pairs: scheduledTime needs timezone, contentType needs contentUrl', () => {
    expect(checkInfinipostRules({ scheduledTime: '2026-07-01T09:00' })?.field).toBe('timezone');
    expect(checkInfinipostRules({ contentType: 'video' })?.field).toBe('contentUrl');
    expect(checkInfinipostRules({ timezone: 'Europe/Paris' })).toBeUndefined();
    expect(
      checkInfinipostRules({ scheduledTime: '2024-04-22T14:00', timezone: 'America/New_York' }),
    ).toBeUndefined();
  });

  it('warns about a past time and a lone timezone instead of refusing them', () => {
    expect(
      scheduleWarnings({ scheduledTime: '2024-04-22T14:00', timezone: 'America/New_York' }, now),
    ).toEqual([expect.stringMatching(/2024-04-22T18:00Z\) is in the past/)]);
    expect(scheduleWarnings({ timezone: 'Asia/Tokyo' }, now)).toEqual([
      expect.stringMatching(/without scheduledTime/),
    ]);
    expect(scheduleWarnings({ scheduledTime: '2026-07-01T09:00', timezone: 'Europe/Paris' }, now)).toEqual(
      [],
    );
  });
});
