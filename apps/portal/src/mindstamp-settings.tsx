/** Mindstamp's settings page (shown when the profile is on for the tenant): account URLs, X-KEY, per-video overrides. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Schema } from '@herald/sdk';
import { useApi } from './api-context';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorText, useToast } from './ui';

const KINDS = ['view', 'interaction', 'lead'] as const;
type Kind = (typeof KINDS)[number];
type Video = Schema<'MindstampVideo'>;
type Urls = Record<Kind, string>;
const LABEL: Record<Kind, string> = { view: 'View', interaction: 'Interaction', lead: 'Lead' };
const emptyUrls = (): Urls => ({ view: '', interaction: '', lead: '' });

export function MindstampSettingsPage() {
  const api = useApi();
  const [videos, setVideos] = useState<Video[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadVideos = useCallback(async () => {
    try {
      setVideos((await api.call(api.herald.GET('/api/v1/mindstamp/videos'))).data);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [api]);
  useEffect(() => void loadVideos(), [loadVideos]);

  return (
    <section aria-labelledby="mindstamp-title">
      <div class="page__head">
        <div>
          <h1 id="mindstamp-title">Mindstamp integration</h1>
          <p class="muted">View, interaction and lead webhooks for your videos. Each request carries your X-KEY.</p>
        </div>
      </div>
      <ErrorText message={error} />
      <AccountUrls onSaved={loadVideos} />
      <XKey />
      <Videos videos={videos} reload={loadVideos} />
    </section>
  );
}

/** "Test" beside a URL: a signed sample of the kind, with the X-KEY, to a URL not saved yet. */
function TestButton({ url, kind, videoId }: { url: string; kind: Kind; videoId?: string }) {
  const api = useApi();
  const toast = useToast();
  const test = async () => {
    try {
      const result = await api.call(
        api.herald.POST('/api/v1/mindstamp/url-tests', { body: { url: url.trim(), kind, videoId } }),
      );
      const status = result.response?.status;
      toast(result.outcome === 'success' ? `Test sent: ${status}` : `Test failed: ${result.outcome} ${status ?? ''}`);
    } catch (failure) {
      toast(`Test refused: ${(failure as Error).message}`);
    }
  };
  return (
    <button type="button" class="button button--small" onClick={test} disabled={!url.trim()}>
      Test {LABEL[kind].toLowerCase()} URL
    </button>
  );
}

function AccountUrls({ onSaved }: { onSaved: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [urls, setUrls] = useState<Urls>(emptyUrls);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.call(api.herald.GET('/api/v1/mindstamp/integration')).then(
      (settings) => setUrls({ ...emptyUrls(), ...stripNulls(settings.urls) }),
      (failure: Error) => setError(failure.message),
    );
  }, [api]);
  const save = async (event: Event) => {
    event.preventDefault();
    try {
      await api.call(api.herald.PUT('/api/v1/mindstamp/integration', { body: { urls } }));
      setError(null);
      toast('Account webhook URLs saved');
      onSaved();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <form class="card" aria-labelledby="account-urls" onSubmit={save}>
      <h2 id="account-urls">Account webhook URLs</h2>
      <p class="muted">Used by every video that sends a kind without its own URL.</p>
      {KINDS.map((kind) => (
        <div class="field" key={kind}>
          <label for={`account-${kind}`}>{LABEL[kind]} webhook URL</label>
          <input
            id={`account-${kind}`}
            type="url"
            value={urls[kind]}
            placeholder="https://example.com/webhooks"
            onInput={(e) => setUrls({ ...urls, [kind]: (e.target as HTMLInputElement).value })}
          />
          <TestButton url={urls[kind]} kind={kind} />
        </div>
      ))}
      <ErrorText message={error} />
      <button type="submit" class="button button--primary" data-write>
        Save URLs
      </button>
    </form>
  );
}

function XKey() {
  const api = useApi();
  const toast = useToast();
  const [key, setKey] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const reveal = async () => (await api.call(api.herald.GET('/api/v1/mindstamp/integration/x-key'))).xKey;
  const guarded = (work: () => Promise<void>) => () =>
    work().catch((failure: Error) => toast(`X-KEY: ${failure.message}`));
  return (
    <div class="card" aria-labelledby="x-key-title">
      <h2 id="x-key-title">Webhook key (X-KEY)</h2>
      <p class="muted">Sent as the X-KEY header of every Mindstamp webhook, so your application can check it.</p>
      <p>
        <code data-testid="x-key">{key ?? '••••••••••••••••'}</code>
      </p>
      <button type="button" class="button button--small" onClick={guarded(async () => setKey(await reveal()))}>
        Reveal
      </button>{' '}
      <button
        type="button"
        class="button button--small"
        onClick={guarded(async () => {
          await navigator.clipboard.writeText(key ?? (await reveal()));
          toast('X-KEY copied');
        })}
      >
        Copy
      </button>{' '}
      <button type="button" class="button button--small button--danger" data-write onClick={() => setConfirming(true)}>
        Rotate
      </button>
      {confirming && (
        <ConfirmDialog
          title="Rotate the X-KEY?"
          message="Every later webhook carries the new key at once; update your application's check first."
          confirmLabel="Rotate"
          onCancel={() => setConfirming(false)}
          onConfirm={guarded(async () => {
            const rotated = await api.call(api.herald.POST('/api/v1/mindstamp/integration/x-key/rotate'));
            setKey(rotated.xKey);
            setConfirming(false);
            toast('X-KEY rotated');
          })}
        />
      )}
    </div>
  );
}

function Videos({ videos, reload }: { videos: Video[] | null; reload: () => Promise<void> }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [newId, setNewId] = useState('');
  return (
    <div class="card" aria-labelledby="videos-title">
      <h2 id="videos-title">Videos</h2>
      <p class="muted">A video sends a kind only when it is ticked; a blank URL uses the account URL.</p>
      {videos === null && <p class="muted">Loading videos…</p>}
      {videos?.length === 0 && <p class="muted">No video sends webhooks yet.</p>}
      <ul class="mindstamp-videos">
        {videos?.map((video) =>
          editing === video.videoId ? (
            <VideoEditor key={video.videoId} video={video} done={() => setEditing(null)} reload={reload} />
          ) : (
            <li key={video.videoId} data-video={video.videoId}>
              <strong>{video.videoId}</strong>
              {KINDS.map((kind) => (
                <span key={kind} class="muted">
                  {' · '}
                  {LABEL[kind]}: {video[kind].enabled ? (video[kind].deliveredTo ?? 'no URL') : 'off'}
                </span>
              ))}{' '}
              <button type="button" class="button button--small" onClick={() => setEditing(video.videoId)}>
                Edit {video.videoId}
              </button>
            </li>
          ),
        )}
        {editing !== null && !videos?.some((v) => v.videoId === editing) && (
          <VideoEditor video={{ videoId: editing }} done={() => setEditing(null)} reload={reload} />
        )}
      </ul>
      <div class="field field--inline">
        <label for="new-video">Video id</label>
        <input id="new-video" value={newId} onInput={(e) => setNewId((e.target as HTMLInputElement).value)} />
        <button
          type="button"
          class="button"
          data-write
          disabled={!newId.trim()}
          onClick={() => {
            setEditing(newId.trim());
            setNewId('');
          }}
        >
          Add video
        </button>
      </div>
    </div>
  );
}

function VideoEditor(props: {
  video: Partial<Video> & { videoId: string };
  done: () => void;
  reload: () => Promise<void>;
}) {
  const api = useApi();
  const toast = useToast();
  const { videoId } = props.video;
  const [kinds, setKinds] = useState(
    () =>
      Object.fromEntries(
        KINDS.map((k) => [k, { enabled: props.video[k]?.enabled ?? false, url: props.video[k]?.url ?? '' }]),
      ) as Record<Kind, { enabled: boolean; url: string }>,
  );
  const [error, setError] = useState<string | null>(null);
  const path = { params: { path: { videoId } } };
  const run = (work: () => Promise<unknown>, message: string) => async () => {
    try {
      await work();
      toast(message);
      props.done();
      await props.reload();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const save = run(
    () => api.call(api.herald.PUT('/api/v1/mindstamp/videos/{videoId}', { ...path, body: kinds })),
    `${videoId} saved`,
  );
  const remove = run(
    () => api.call(api.herald.DELETE('/api/v1/mindstamp/videos/{videoId}', path)),
    `${videoId} removed`,
  );
  return (
    <li class="card" aria-label={`Video ${videoId}`}>
      <h3>{videoId}</h3>
      {KINDS.map((kind) => (
        <div class="field" key={kind}>
          <label class="check">
            <input
              type="checkbox"
              checked={kinds[kind].enabled}
              onChange={(e) =>
                setKinds({ ...kinds, [kind]: { ...kinds[kind], enabled: (e.target as HTMLInputElement).checked } })
              }
            />{' '}
            Send {LABEL[kind].toLowerCase()} webhooks
          </label>
          {kinds[kind].enabled && (
            <>
              <label for={`${videoId}-${kind}-url`}>{LABEL[kind]} override URL</label>
              <input
                id={`${videoId}-${kind}-url`}
                type="url"
                value={kinds[kind].url}
                placeholder="Blank: the account URL"
                onInput={(e) =>
                  setKinds({ ...kinds, [kind]: { ...kinds[kind], url: (e.target as HTMLInputElement).value } })
                }
              />
              <TestButton url={kinds[kind].url} kind={kind} videoId={videoId} />
            </>
          )}
        </div>
      ))}
      <ErrorText message={error} />
      <button type="button" class="button button--primary" data-write onClick={save}>
        Save {videoId}
      </button>{' '}
      {props.video.creationDate && (
        <button type="button" class="button button--danger-text" data-write onClick={remove}>
          Stop webhooks for {videoId}
        </button>
      )}{' '}
      <button type="button" class="button" onClick={props.done}>
        Cancel
      </button>
    </li>
  );
}

function stripNulls(urls: Record<Kind, string | null>): Partial<Urls> {
  return Object.fromEntries(Object.entries(urls).filter(([, v]) => v !== null)) as Partial<Urls>;
}

/** Links Webhooks and, when the Mindstamp profile is on for the tenant, its settings page. */
export function MindstampNav({ current }: { current: string }) {
  const api = useApi();
  const [on, setOn] = useState(false);
  useEffect(() => {
    void api.call(api.herald.GET('/v1/profiles')).then(
      (profiles) => setOn(profiles.data.some((p) => p.profile === 'mindstamp' && p.enabled)),
      () => setOn(false),
    );
  }, [api]);
  if (!on) return null;
  return (
    <nav class="page__nav" aria-label="Sections">
      <a href="#/" aria-current={current === 'webhooks' ? 'page' : undefined}>
        Webhooks
      </a>
      {' · '}
      <a href={MINDSTAMP_HREF} aria-current={current === 'mindstamp' ? 'page' : undefined}>
        Mindstamp integration
      </a>
    </nav>
  );
}

export const MINDSTAMP_HREF = '#/mindstamp';
