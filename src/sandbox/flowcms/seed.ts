import { isoMinutesAgo, seedNow } from '../emulator.js';

/** A post as the emulator stores it (snake_case, as the seed's PUT answer shows it). */
export interface FlowStoredPost {
  id: string;
  title: string;
  slug: string;
  content: string;
  status: 'draft' | 'published' | 'archived';
  tags: string[];
  author_id: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  featured_image: string | null;
  seo: { meta_title: string; meta_description: string };
}

type Seed = [
  id: string,
  title: string,
  status: FlowStoredPost['status'],
  minutesAgo: number,
  tags: string[],
  content: string,
];

const DAY = 60 * 24;

// Mixed id forms on purpose: the seed says "UUID v4" but its own example is post_a8f3k29d1.
const SEEDS: Seed[] = [
  [
    'post_a8f3k29d1',
    'Getting Started with Lumen Dashboards',
    'published',
    DAY * 2,
    ['tutorial', 'dashboards'],
    '# Getting started\n\nCreate a workspace, connect a source and pin your first chart.',
  ],
  [
    '3f6c2a9e-8b1d-4c7e-9a2f-5d0e1b7c4a61',
    'Release Notes: March',
    'published',
    DAY * 6,
    ['release-notes'],
    '<h2>What is new</h2><p>Funnels, CSV export and a faster query engine.</p>',
  ],
  [
    'post_k2m9q7x4p',
    'Five Metrics Every SaaS Team Should Track',
    'published',
    DAY * 11,
    ['metrics', 'saas'],
    'Activation, retention, expansion, churn and **time to value**.',
  ],
  [
    'b7e41d2c-6a95-4f08-8c3e-1f2a9d6e0b57',
    'Migrating from Spreadsheets',
    'published',
    DAY * 17,
    ['guides', 'migration'],
    '## Why move\n\nSpreadsheets break at the tenth collaborator. Here is a plan.',
  ],
  [
    'post_z8w1v5n3r',
    'How We Cut Query Latency by 60%',
    'published',
    DAY * 25,
    ['engineering', 'performance'],
    '<p>Columnar storage, a smarter cache and one very old index.</p>',
  ],
  [
    'e2c9f7a1-3b84-4d6e-a5f0-7c1b8e4d2a93',
    'Customer Story: Northwind Coffee',
    'published',
    DAY * 33,
    ['customers'],
    'Northwind replaced four reports with one live dashboard.',
  ],
  [
    'post_r4t6y8u0i',
    'Dark Mode Is Here',
    'archived',
    DAY * 90,
    ['release-notes', 'design'],
    'Dark mode, finally, on every dashboard.',
  ],
  [
    '9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d',
    'Roadmap: Second Half of the Year',
    'draft',
    60 * 5,
    ['roadmap'],
    '- Alerts\n- Embedded dashboards\n- SSO for every plan',
  ],
  [
    'post_q1w2e3r4t',
    'Pricing Changes FAQ',
    'draft',
    60 * 30,
    ['pricing', 'faq'],
    '<p>Answers to the questions we got about the new plans.</p>',
  ],
  [
    'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f',
    'Webinar: Dashboards That Get Read',
    'published',
    60 * 2,
    ['events'],
    'Join us live for thirty minutes of practical dashboard design.',
  ],
];

/** Ten posts of an analytics company's blog; the last one is scheduled (published, with a future date). */
export function seedFlowPosts(): FlowStoredPost[] {
  return SEEDS.map(([id, title, status, minutesAgo, tags, content], i) => {
    const scheduled = i === SEEDS.length - 1;
    const slug = title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    return {
      id,
      title,
      slug,
      content,
      status,
      tags,
      author_id: i % 2 ? 'usr_92f3kd2' : 'usr_4h7j1lq',
      created_at: isoMinutesAgo(minutesAgo + 600),
      updated_at: isoMinutesAgo(minutesAgo),
      published_at: scheduled
        ? new Date(seedNow() + 3 * DAY * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
        : status === 'draft'
          ? null
          : isoMinutesAgo(minutesAgo),
      featured_image: null,
      seo: {
        meta_title: title,
        meta_description: content
          .replace(/<[^>]+>|[#*-]/g, '')
          .trim()
          .slice(0, 150),
      },
    };
  });
}
