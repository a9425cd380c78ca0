import { describe, expect, it } from 'vitest';
import { deriveActor } from '../../src/core/actor.js';
import { diffField } from '../../src/review/field-diff.js';
import { escapeHtml, html, safeHref } from '../../src/review/html.js';
import { htmlToText, markdownToText } from '../../src/review/render-text.js';

describe('review page rendering', () => {
  it('escapes every interpolated value, once, and passes nested templates through', () => {
    const hostile = `<script>alert("x")</script>' onerror=alert(1) \``;
    const out = html`<p title="${hostile}">${hostile}${html`<b>${hostile}</b>`}${[hostile, null, false]}</p>`;
    expect(out.value).not.toContain('<script>');
    expect(out.value).not.toMatch(/"\s*onerror/);
    expect(out.value).toContain('<b>&lt;script&gt;');
    expect(out.value.match(/&lt;script&gt;/g)).toHaveLength(4);
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });

  it('links only http and https URLs', () => {
    expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      '/relative',
      'vbscript:x',
      '',
    ]) {
      expect(safeHref(bad)).toBeUndefined();
    }
  });

  it('renders HTML and Markdown bodies to the text a reader sees, scripts left out, link targets shown', () => {
    expect(
      htmlToText(
        '<h2>Hi</h2><p>One <b>two</b><script>alert(1)</script></p><ul><li>a</li><li><a href="https://x.y">b</a></li></ul><img alt="cat">',
      ),
    ).toBe('Hi\n\nOne two\n\n• a\n• b (https://x.y)\n[image: cat]');
    expect(markdownToText('# Title\n\nSome **bold** [link](https://x.y)\n\n- a\n- b')).toBe(
      'Title\n\nSome bold link (https://x.y)\n\n• a\n• b',
    );
  });

  it('diffs text word by word, bodies as rendered text with their source, lists by item, the rest before/after', () => {
    const text = diffField('summary', 'Open this Saturday', 'Open this Sunday at 8');
    expect(text).toMatchObject({ kind: 'text' });
    expect(
      text.kind === 'text' && text.parts.filter((p) => p.kind !== 'same').map((p) => p.text.trim()),
    ).toEqual(['Saturday', 'Sunday at 8']);
    const body = diffField(
      'body',
      '<p>Read <a href="https://good.example">this</a></p>',
      '<p>Read <a href="https://evil.example">this</a></p>',
      {
        format: 'html',
        value: null,
      },
    );
    expect(body).toMatchObject({ kind: 'rendered', format: 'html', markupOnly: false });
    const hiddenChange = diffField('body', '<p>Hello</p>', '<p>Hello<script>steal()</script></p>');
    expect(hiddenChange).toMatchObject({ kind: 'rendered', markupOnly: true });
    expect(
      hiddenChange.kind === 'rendered' &&
        hiddenChange.source.some((p) => p.kind === 'added' && p.text.includes('steal')),
    ).toBe(true);
    const md = diffField('content', 'Join **live**', 'Join us **live**', {
      format: 'markdown',
      value: 'Join us **live**',
    });
    expect(md).toMatchObject({ kind: 'rendered', format: 'markdown' });
    expect(diffField('tags', ['a', 'b'], ['b', 'c'])).toEqual({
      field: 'tags',
      kind: 'list',
      items: [
        { kind: 'removed', text: 'a' },
        { kind: 'same', text: 'b' },
        { kind: 'added', text: 'c' },
      ],
    });
    expect(diffField('status', 'draft', 'published')).toEqual({
      field: 'status',
      kind: 'value',
      before: 'draft',
      after: 'published',
    });
    expect(diffField('link', null, { custom_url: 'https://x.y' })).toMatchObject({
      kind: 'value',
      before: '—',
    });
  });

  it('falls back to before/after when a word diff would be too large to read', () => {
    const a = Array.from({ length: 6000 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 6000 }, (_, i) => `b${i}`).join(' ');
    expect(diffField('summary', a, b).kind).toBe('value');
  });

  it('derives who asked: per-request clientInfo wins, names are cleaned, the token label is the principal', () => {
    expect(
      deriveActor({
        transport: 'http',
        principal: 'alice',
        clientInfo: { name: 'old', version: '1' },
        meta: { 'io.modelcontextprotocol/clientInfo': { name: 'claude-code\u0000\n', version: '2.1' } },
      }),
    ).toEqual({ client_name: 'claude-code', client_version: '2.1', transport: 'http', principal: 'alice' });
    expect(deriveActor({ transport: 'stdio', clientInfo: { name: 'cursor', version: 3 } })).toEqual({
      client_name: 'cursor',
      client_version: null,
      transport: 'stdio',
      principal: null,
    });
    expect(
      deriveActor({ transport: 'http', clientInfo: { name: 'x'.repeat(500) } }).client_name,
    ).toHaveLength(100);
  });
});
