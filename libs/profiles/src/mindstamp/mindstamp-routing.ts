import { EVENT_FILTER_MAX_LENGTH } from '@herald/event-filter';
import { MINDSTAMP_EVENTS } from '../catalogs/mindstamp.profile';
import type { MindstampAccountUrls, MindstampKind, MindstampVideoKinds } from './mindstamp-settings.dto';

/** One Herald webhook Mindstamp settings map to: a kind, a URL and the videos whose events go there. */
export interface MindstampRoute {
  kind: MindstampKind;
  url: string;
  /** Splits one (kind, URL) whose video list outgrows a filter's bounds. */
  part: number;
  videoIds: string[];
  filter: string;
}

// Under the filter's list bound (100 elements) and AST bound (200 nodes).
const MAX_IDS_PER_FILTER = 90;

export const mindstampFilterOf = (videoIds: readonly string[]) =>
  `event.data.videoId in [${videoIds.map((id) => `"${id}"`).join(', ')}]`;

/** Where a video's events of this kind go: its override, else the account URL; null when off or no URL. */
export function mindstampTargetOf(
  kind: MindstampKind,
  video: MindstampVideoKinds,
  account: MindstampAccountUrls,
): string | null {
  const setting = video[kind];
  if (!setting?.enabled) return null;
  return setting.url ?? account[kind] ?? null;
}

function chunk(videoIds: string[]): string[][] {
  const parts: string[][] = [[]];
  for (const id of videoIds) {
    const current = parts[parts.length - 1];
    const fits =
      current.length < MAX_IDS_PER_FILTER && mindstampFilterOf([...current, id]).length <= EVENT_FILTER_MAX_LENGTH;
    if (fits) current.push(id);
    else parts.push([id]);
  }
  return parts;
}

/** The webhooks the settings call for: per kind, one per target URL with the opted-in videos in its filter. */
export function mindstampRoutesOf(
  account: MindstampAccountUrls,
  videos: readonly { videoId: string; kinds: MindstampVideoKinds }[],
): MindstampRoute[] {
  const sorted = [...videos].sort((a, b) => (a.videoId < b.videoId ? -1 : a.videoId > b.videoId ? 1 : 0));
  return MINDSTAMP_EVENTS.flatMap((kind) => {
    const byUrl = new Map<string, string[]>();
    for (const video of sorted) {
      const url = mindstampTargetOf(kind, video.kinds, account);
      if (url) byUrl.set(url, [...(byUrl.get(url) ?? []), video.videoId]);
    }
    return [...byUrl].flatMap(([url, ids]) =>
      chunk(ids).map((videoIds, part) => ({ kind, url, part, videoIds, filter: mindstampFilterOf(videoIds) })),
    );
  });
}
