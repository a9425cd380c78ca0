import { isoMinutesAgo, seedNow } from '../emulator.js';

export interface ButterPost {
  url: string;
  created: string;
  updated: string | null;
  published: string | null;
  scheduled: string | null;
  status: 'published' | 'draft' | 'scheduled';
  author: {
    first_name: string;
    last_name: string;
    email: string;
    slug: string;
    bio: string;
    title: string;
    profile_image: string;
  };
  categories: { name: string; slug: string }[];
  tags: { name: string; slug: string }[];
  featured_image: string | null;
  featured_image_alt: string;
  slug: string;
  title: string;
  body: string;
  summary: string;
  seo_title: string;
  meta_description: string;
}

/** The organization's authors (a write's author must name one of them). */
export const AUTHORS = {
  maya: {
    first_name: 'Maya',
    last_name: 'Lindqvist',
    email: 'maya@northwind-coffee.example',
    slug: 'maya-lindqvist',
    bio: 'Head roaster at Northwind Coffee.',
    title: 'Head Roaster',
    profile_image: 'https://cdn.example.com/authors/maya.jpg',
  },
  theo: {
    first_name: 'Theo',
    last_name: 'Okafor',
    email: 'theo@northwind-coffee.example',
    slug: 'theo-okafor',
    bio: 'Writes about cafés, people and neighbourhoods.',
    title: 'Editor',
    profile_image: 'https://cdn.example.com/authors/theo.jpg',
  },
};

const term = (name: string) => ({ name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-') });

type Seed = [
  slug: string,
  title: string,
  status: ButterPost['status'],
  minutesAgo: number,
  author: keyof typeof AUTHORS,
  categories: string[],
  tags: string[],
  summary: string,
];

const SEEDS: Seed[] = [
  [
    'spring-single-origin-lineup',
    'Our Spring Single-Origin Lineup',
    'published',
    60 * 24 * 2,
    'maya',
    ['Coffee'],
    ['single origin', 'seasonal'],
    'Three new lots from Ethiopia, Colombia and Kenya, and how we roast them.',
  ],
  [
    'how-we-roast-light',
    'How We Roast Light Without Going Sour',
    'published',
    60 * 24 * 5,
    'maya',
    ['Coffee', 'Roasting'],
    ['roasting', 'light roast'],
    'Development time, airflow and the three numbers we watch on every batch.',
  ],
  [
    'new-cafe-harbour-street',
    'We Are Opening on Harbour Street',
    'published',
    60 * 24 * 9,
    'theo',
    ['News'],
    ['cafes', 'openings'],
    'Our fourth café opens on 12 June with a slow-bar and a roastery window.',
  ],
  [
    'cold-brew-at-home',
    'Cold Brew at Home: A 12-Hour Recipe',
    'published',
    60 * 24 * 14,
    'theo',
    ['Recipes'],
    ['cold brew', 'recipes'],
    'Coarse grind, 1:8 ratio, twelve hours in the fridge. That is the whole secret.',
  ],
  [
    'meet-the-farmers-huila',
    'Meet the Farmers: Finca La Esperanza, Huila',
    'published',
    60 * 24 * 21,
    'theo',
    ['Origins'],
    ['colombia', 'farmers'],
    'A week at 1,750 metres with the Ramírez family and their pink bourbon.',
  ],
  [
    'espresso-dial-in-guide',
    'Dialing In Espresso: A Practical Guide',
    'published',
    60 * 24 * 30,
    'maya',
    ['Recipes', 'Coffee'],
    ['espresso', 'brewing'],
    'Dose, yield, time: change one thing at a time and taste every shot.',
  ],
  [
    'holiday-opening-hours',
    'Holiday Opening Hours',
    'published',
    60 * 24 * 40,
    'theo',
    ['News'],
    ['cafes', 'hours'],
    'When each café opens and closes between 24 December and 2 January.',
  ],
  [
    'compostable-cups',
    'Why We Switched to Compostable Cups',
    'published',
    60 * 24 * 55,
    'theo',
    ['Sustainability'],
    ['packaging', 'sustainability'],
    'What changed, what it cost and what our composting partner does with them.',
  ],
  [
    'barista-training-program',
    'Inside Our Barista Training Program',
    'published',
    60 * 24 * 70,
    'maya',
    ['People'],
    ['training', 'baristas'],
    'Six weeks, forty hours of practice and one latte-art throwdown.',
  ],
  [
    'decaf-that-tastes-like-coffee',
    'Decaf That Tastes Like Coffee',
    'draft',
    60 * 3,
    'maya',
    ['Coffee'],
    ['decaf'],
    'Swiss Water process, a Brazilian lot and a medium roast.',
  ],
  [
    'summer-menu-preview',
    'Summer Menu Preview',
    'draft',
    60 * 26,
    'theo',
    ['News'],
    ['menu', 'seasonal'],
    'Tonic espresso, a cascara soda and the return of the affogato.',
  ],
  [
    'grinder-maintenance',
    'Grinder Maintenance in Five Minutes a Day',
    'scheduled',
    60 * 8,
    'maya',
    ['Equipment'],
    ['grinders', 'maintenance'],
    'Brush, purge, check the burrs: a daily routine for every café grinder.',
  ],
];

/** A dozen realistic posts for a coffee company's blog. */
export function seedButterPosts(): ButterPost[] {
  return SEEDS.map(([slug, title, status, minutesAgo, author, categories, tags, summary]) => ({
    url: `https://blog.northwind-coffee.example/blog/${slug}`,
    created: isoMinutesAgo(minutesAgo + 600),
    updated: isoMinutesAgo(minutesAgo),
    published: status === 'published' ? isoMinutesAgo(minutesAgo) : null,
    scheduled:
      status === 'scheduled'
        ? new Date(seedNow() + 3 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
        : null,
    status,
    author: { ...AUTHORS[author] },
    categories: categories.map(term),
    tags: tags.map(term),
    featured_image: `https://cdn.example.com/blog/${slug}.jpg`,
    featured_image_alt: title,
    slug,
    title,
    body: `<p>${summary}</p><p>Read on for the details from the Northwind team.</p>`,
    summary,
    seo_title: title.slice(0, 60),
    meta_description: summary,
  }));
}
