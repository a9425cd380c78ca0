import { Parser } from 'htmlparser2';
import { marked } from 'marked';

/** Elements that start a new line in what a reader sees. */
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tr',
  'ul',
]);
/** Elements whose content a reader never sees as text (the source diff still shows them). */
const HIDDEN = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'iframe',
  'object',
  'svg',
  'head',
  'title',
]);

/**
 * The text a reader of the rendered page would see: blocks on their own lines, list items bulleted,
 * images as [image: alt], link targets after their text. Never markup: the result is escaped like any text.
 */
export function htmlToText(markup: string): string {
  let out = '';
  let hidden = 0;
  let pre = 0;
  const links: (string | null)[] = [];
  const newline = (n = 1) => {
    out = out.replace(/[ \t]+$/, '');
    const have = /\n*$/.exec(out)?.[0].length ?? 0;
    if (out.length > 0 && have < n) out += '\n'.repeat(n - have);
  };
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (HIDDEN.has(name)) return void hidden++;
        if (hidden) return;
        if (name === 'pre') pre++;
        if (name === 'br') out += '\n';
        else if (name === 'li') {
          newline();
          out += '• ';
        } else if (BLOCK.has(name)) newline(name === 'p' || /^h\d$/.test(name) ? 2 : 1);
        if (name === 'img') out += `[image${attrs.alt ? `: ${attrs.alt}` : ''}]`;
        if (name === 'a') links.push(attrs.href ?? null);
      },
      ontext(text) {
        if (hidden) return;
        out += pre ? text : text.replace(/\s+/g, ' ');
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) return void (hidden = Math.max(0, hidden - 1));
        if (hidden) return;
        if (name === 'pre') pre = Math.max(0, pre - 1);
        if (name === 'a') {
          const href = links.pop();
          if (href && !out.trimEnd().endsWith(href)) out += ` (${href})`;
        }
        if (BLOCK.has(name)) newline(name === 'p' || /^h\d$/.test(name) ? 2 : 1);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(markup);
  parser.end();
  return out
    .split('\n')
    .map((line) => line.replace(/^ +| +$/g, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** The text a reader sees once the Markdown is rendered (via marked; raw HTML inside is read as HTML). */
export function markdownToText(markdown: string): string {
  return htmlToText(marked.parse(markdown, { async: false, gfm: true }));
}

/** Whether a string holds HTML markup (an opening and a closing tag), as opposed to plain text. */
export function looksLikeHtml(text: string): boolean {
  return (
    /<([a-z][a-z0-9]*)\b[^>]*>/i.test(text) &&
    /<\/[a-z][a-z0-9]*\s*>|<[a-z][^>]*\/>|<(br|img|hr)\b/i.test(text)
  );
}
