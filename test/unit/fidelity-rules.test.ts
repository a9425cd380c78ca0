import { describe, expect, it } from 'vitest';
import { hasVersionPath } from '../../src/pipeline/error-hints.js';
import { butterSlugify } from '../../src/providers/buttercms/schemas.js';
import { isIsoDateTime, toUtcZ } from '../../src/providers/flowcms/schemas.js';
import { videoWarnings } from '../../src/providers/rebelmouse/rules.js';

describe('ButterCMS unicode slugification (Django slugify, allow_unicode)', () => {
  it.each([
    ['Spring-Lineup', 'spring-lineup'],
    ['Cold Brew: The 12-Hour Recipe!', 'cold-brew-the-12-hour-recipe'],
    ['  Café  Crème  ', 'café-crème'],
    ['Ｆｕｌｌｗｉｄｔｈ', 'fullwidth'],
    ['a/../b', 'ab'],
    ['__under_score__', 'under_score'],
    ['?!', ''],
  ])('%j → %j', (input, slug) => {
    expect(butterSlugify(input)).toBe(slug);
  });
});

describe('base URL version path (for the 404 hint)', () => {
  it.each([
    ['https://api.buttercms.com/v2', true],
    ['https://www.example.com/api/1.3', true],
    ['https://api.flowcms.io/api/v1', true],
    ['https://api.flowcms.io', false],
    ['http://127.0.0.1:4000/flowcms', false],
    ['https://www.example.com/api', false],
  ])('%s → %s', (url, versioned) => {
    expect(hasVersionPath(url)).toBe(versioned);
  });
});

describe('FlowCMS published_at', () => {
  it('accepts ISO date-times with or without a zone, never an impossible date', () => {
    expect(isIsoDateTime('2030-01-15T10:30:00')).toBe(true);
    expect(isIsoDateTime('2030-01-15T10:30:00+02:00')).toBe(true);
    expect(isIsoDateTime('2030-02-30T10:30:00Z')).toBe(false);
    expect(isIsoDateTime('2030-01-15')).toBe(false);
  });

  it('reads a zoneless time as UTC, whatever the server zone', () => {
    expect(toUtcZ('2030-01-15T10:30:00')).toBe('2030-01-15T10:30:00Z');
    expect(toUtcZ('2030-01-15T12:30:00+02:00')).toBe('2030-01-15T10:30:00Z');
  });
});

describe('RebelMouse video warnings', () => {
  it('warns for http and watch pages, not for an https embed URL', () => {
    expect(videoWarnings('http://player.vimeo.com/video/1').join(' ')).toMatch(/mixed content/);
    expect(videoWarnings('https://www.youtube.com/watch?v=x').join(' ')).toMatch(/embed\/ID/);
    expect(videoWarnings('https://www.youtube.com/embed/x')).toEqual([]);
  });
});
