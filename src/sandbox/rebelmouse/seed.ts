import { seedNow } from '../emulator.js';

/** A RebelMouse post as the Posts API returns it: the editable fields plus id, post_url and slug. */
export type RebelmousePost = Record<string, unknown> & {
  id: number;
  headline: string;
  post_url: string;
  slug: string;
  created_ts: number;
  draft_url?: string;
};

export const SITE = 'https://www.harborledger.example';
/** The user the sandbox API key belongs to (the documented default of roar_author_ids). */
export const KEY_USER_ID = 1042;

type Seed = [
  id: number,
  headline: string,
  hoursAgo: number,
  sections: string[],
  tags: string[],
  authors: number[],
  subheadline: string,
  extra?: Record<string, unknown>,
];

const SEEDS: Seed[] = [
  [
    2668412345,
    'Storm Closes Harbor Bridge for Repairs',
    3,
    ['News', 'Home'],
    ['weather', 'traffic', 'bridge'],
    [1042],
    'High winds damaged two expansion joints overnight.',
  ],
  [
    2668409871,
    'City Council Approves Waterfront Bike Lane',
    20,
    ['News', 'Politics'],
    ['council', 'cycling'],
    [1187],
    'The 2.4 km lane links the ferry terminal to Old Town.',
    { image_id: 33012, photo_credit: 'Dana Ruiz', photo_caption: 'The planned route along Quay Street.' },
  ],
  [
    2668397420,
    'Ten Places to Eat Oysters This Season',
    44,
    ['Food'],
    ['food', 'oysters', 'guides'],
    [1203],
    'From dockside shacks to white-tablecloth rooms.',
    {
      type: 'page',
      listicle: [
        { headline: 'The Shuck Shack', body: '<p>Six varieties, one picnic table.</p>' },
        { headline: 'Marlow & Daughters', body: '<p>Ask for the Kumamotos.</p>' },
      ],
    },
  ],
  [
    2668385519,
    'Watch: Tall Ships Parade Into the Bay',
    70,
    ['Video'],
    ['tall ships', 'events'],
    [1187],
    'Forty vessels, one very foggy morning.',
    { type: 'video', video: 'https://www.youtube.com/embed/a1B2c3D4e5F' },
  ],
  [
    2668371006,
    'High School Rowing Team Wins Regional Title',
    96,
    ['Sports'],
    ['rowing', 'schools'],
    [1203],
    'Harbor High took gold in the coxed four.',
  ],
  [
    2668360277,
    'Ferry Timetable Changes Start Monday',
    130,
    ['News'],
    ['ferries', 'traffic'],
    [1042, 1187],
    'Early sailings move 15 minutes later.',
    { primary_tag: 'ferries' },
  ],
  [
    2668348815,
    'Farmers Market Returns to Pier 7',
    170,
    ['Community'],
    ['markets', 'food'],
    [1203],
    'Saturdays from 8 a.m., through October.',
    { og_title: 'The market is back on Pier 7', og_description: 'Forty stalls, Saturdays 8–1.' },
  ],
  [
    2668337160,
    'Heat Advisory Issued for the Weekend',
    200,
    ['News'],
    ['weather'],
    [1042],
    'Temperatures may reach 34 °C inland.',
  ],
  [
    2668325581,
    'Interview: The Last Lighthouse Keeper',
    260,
    ['Features'],
    ['history', 'interviews'],
    [1187],
    'Forty-one years on Gull Rock, in her own words.',
    {
      roar_specific_data: { keep_reading_button_text: 'Read her story', keep_reading_hide_word_count: true },
    },
  ],
  [
    2668314090,
    'New Library Branch Opens in Eastside',
    330,
    ['Community'],
    ['libraries', 'eastside'],
    [1203],
    'Longer hours, a maker space and a reading garden.',
    { image_id: 33102, photo_credit: 'Sam Patel', photo_caption: 'The reading garden.' },
  ],
];

/** Ten realistic posts of a local news site. */
export function seedRebelmousePosts(): RebelmousePost[] {
  const now = Math.floor(seedNow() / 1000);
  return SEEDS.map(([id, headline, hoursAgo, sections, tags, authors, subheadline, extra]) => {
    const basename = slugOf(headline);
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- left for issue 13 item 3, which reshapes this folder (not now: it is being edited concurrently)
    return {
      id,
      headline,
      subheadline,
      body: `<p>${subheadline}</p><p>Full story from The Harbor Ledger newsroom.</p>${extra?.listicle ? '<listicle></listicle>' : ''}`,
      basename,
      type: 'page',
      tags,
      primary_tag: tags[0],
      sections,
      primary_section: sections[0],
      roar_author_ids: authors,
      created_ts: now - hoursAgo * 3600,
      ...extra,
      post_url: `${SITE}/${basename}-${id}`,
      slug: `${basename}-${id}`,
    } as RebelmousePost;
  });
}

/** A slug as RebelMouse derives it from a headline: lower case, word characters and "-", ≤ 200. */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 200);
}
