import { isoMinutesAgo, seedNow } from '../emulator.js';

export type InfinipostStatus = 'generated' | 'pending_render' | 'scheduled' | 'posted' | 'failed';

export interface InfinipostPost {
  postId: string;
  accountId: string;
  platform: 'tiktok' | 'instagram';
  contentType: 'video' | 'slides';
  contentUrl: string | string[];
  thumbnailUrl: string | null;
  caption: string;
  soundId: string | null;
  timezone: string;
  scheduledTime: string;
  status: InfinipostStatus;
  postedAt: string | null;
  createdAt: string;
}

type Seed = [
  postId: string,
  accountId: string,
  platform: InfinipostPost['platform'],
  contentType: InfinipostPost['contentType'],
  status: InfinipostStatus,
  /** Hours from now to the scheduled time (negative: in the past). */
  hoursAhead: number,
  timezone: string,
  soundId: string | null,
  caption: string,
];

const CDN = 'https://storage.googleapis.com/infinipost-media/northwind';

const SEEDS: Seed[] = [
  [
    'post_tk7Qm2vX9a',
    'acc_1a2b3c4d5e',
    'tiktok',
    'video',
    'generated',
    30,
    'America/New_York',
    'snd_lofi_morning',
    'POV: your first light roast of spring ☕ #coffeetok #lightroast',
  ],
  [
    'post_tk3Ls8pR4b',
    'acc_1a2b3c4d5e',
    'tiktok',
    'slides',
    'generated',
    54,
    'America/New_York',
    'snd_acoustic_42',
    '5 mistakes everyone makes with cold brew (swipe) #coldbrew #coffeehacks',
  ],
  [
    'post_tk9Hd1wK6c',
    'acc_1a2b3c4d5e',
    'tiktok',
    'video',
    'pending_render',
    78,
    'America/Chicago',
    null,
    'Latte art fail compilation, part 3 😅 #latteart',
  ],
  [
    'post_ig4Vn6tY2d',
    'acc_9z8y7x6w5v',
    'instagram',
    'slides',
    'generated',
    40,
    'Europe/Paris',
    null,
    'Harbour Street opens 12 June. Slow bar, roastery window, same coffee. 📍',
  ],
  [
    'post_ig2Bc5jM8e',
    'acc_9z8y7x6w5v',
    'instagram',
    'video',
    'pending_render',
    100,
    'Europe/London',
    null,
    'Meet the Ramírez family, Finca La Esperanza, Huila 🇨🇴',
  ],
  [
    'post_tk5Fg7hN1f',
    'acc_1a2b3c4d5e',
    'tiktok',
    'video',
    'scheduled',
    20,
    'America/Los_Angeles',
    'snd_trending_991',
    'Espresso dial-in in 60 seconds ⏱️ #espresso #baristalife',
  ],
  [
    'post_tk8Jr3qS5g',
    'acc_1a2b3c4d5e',
    'tiktok',
    'video',
    'posted',
    -48,
    'America/New_York',
    'snd_lofi_morning',
    'We roasted 40 kg today. Here is how it smells. #roastery',
  ],
  [
    'post_ig7Kp9uW3h',
    'acc_9z8y7x6w5v',
    'instagram',
    'slides',
    'posted',
    -120,
    'Asia/Tokyo',
    null,
    'Holiday opening hours for every café 🎄',
  ],
  [
    'post_tk1Zx4cV7i',
    'acc_1a2b3c4d5e',
    'tiktok',
    'slides',
    'failed',
    -6,
    'Australia/Sydney',
    'snd_acoustic_42',
    'Decaf that tastes like coffee? Swiss Water, explained.',
  ],
  [
    'post_ig6Mn2bL9j',
    'acc_9z8y7x6w5v',
    'instagram',
    'video',
    'generated',
    150,
    'Asia/Singapore',
    null,
    'Why we switched to compostable cups ♻️',
  ],
];

/** Ten posts of a coffee company's TikTok and Instagram accounts, in every status. */
export function seedInfinipostPosts(): InfinipostPost[] {
  return SEEDS.map(
    ([postId, accountId, platform, contentType, status, hoursAhead, timezone, soundId, caption], i) => {
      // Scheduled on the minute, as the API stores local HH:MM times.
      const at = Math.floor((seedNow() + hoursAhead * 3_600_000) / 60_000) * 60_000;
      const video = `${CDN}/${postId}.mp4`;
      return {
        postId,
        accountId,
        platform,
        contentType,
        contentUrl: contentType === 'video' ? video : [1, 2, 3, 4].map((n) => `${CDN}/${postId}-${n}.jpg`),
        thumbnailUrl:
          contentType === 'video' && status !== 'pending_render' ? `${CDN}/${postId}-thumb.jpg` : null,
        caption,
        soundId,
        timezone,
        scheduledTime: new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        status,
        postedAt: status === 'posted' ? new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z') : null,
        createdAt: isoMinutesAgo(60 * 24 * 3 + i * 90),
      };
    },
  );
}
