import { describe, expect, it } from 'vitest';
import { parseButterError } from '../../src/providers/buttercms/errors.js';
import { normalizeButterPost, editableButterFields } from '../../src/providers/buttercms/normalize.js';
import { butterPostSchema, butterSlug, butterUpdateInput } from '../../src/providers/buttercms/schemas.js';
import { remoteImages } from '../../src/providers/buttercms/api.js';

describe('ButterCMS field rules', () => {
  it('refuses a blank title, a slug that slugifies to nothing and a path-like id', () => {
    expect(butterUpdateInput.safeParse({ title: '  ' }).success).toBe(false);
    expect(butterUpdateInput.safeParse({ slug: '!!!' }).error?.issues[0]?.message).toMatch(
      /slugifies to nothing/,
    );
    expect(butterUpdateInput.safeParse({ slug: 'Spring lineup' }).success).toBe(true);
    expect(butterSlug.safeParse('../etc').success).toBe(false);
    expect(butterSlug.safeParse('café-au-lait').success).toBe(true);
  });

  it('finds only the body images that are not already on the ButterCMS CDN', () => {
    expect(
      remoteImages('<img src="https://cdn.buttercms.com/a.jpg"><img src="https://img.example.com/b.png">'),
    ).toEqual(['https://img.example.com/b.png']);
  });
});

describe('ButterCMS normalizer', () => {
  const raw = butterPostSchema.parse({
    slug: 'cold-brew',
    title: 'Cold brew',
    body: '<p>Steep</p>',
    status: 'published',
    url: 'https://blog.example/cold-brew',
    published: '2026-01-01T10:00:00Z',
    tags: [{ name: 'coffee', slug: 'coffee' }],
    categories: [{ name: 'Recipes', slug: 'recipes' }],
    summary: 'How to',
  });

  it('uses the slug as id and gives categories and tags back as names', () => {
    const p = normalizeButterPost(raw);
    expect(p).toMatchObject({
      provider: 'buttercms',
      id: 'cold-brew',
      title: 'Cold brew',
      status: 'published',
      body_format: 'html',
      tags: ['coffee'],
      published_at: '2026-01-01T10:00:00.000Z',
    });
    expect(p.fields).toMatchObject({
      slug: 'cold-brew',
      categories: ['Recipes'],
      summary: 'How to',
      author: null,
    });
    expect(editableButterFields(raw).tags).toEqual(['coffee']);
  });

  it('reads an unknown status as unknown', () => {
    expect(normalizeButterPost({ ...raw, status: 'weird' }).status).toBe('unknown');
  });
});

describe('ButterCMS error parser', () => {
  it('reads detail, error and per-field lists, naming the first field', () => {
    expect(parseButterError({ detail: 'Not found.' })).toEqual({ message: 'Not found.' });
    expect(parseButterError({ error: 'Bad token' })).toEqual({ message: 'Bad token' });
    expect(parseButterError({ title: ['This field is required.'], slug: ['Taken.'] })).toEqual({
      message: 'title: This field is required.; slug: Taken.',
      field: 'title',
    });
    expect(parseButterError({ ok: true })).toBeUndefined();
  });
});
