/** Mindstamp's settings page (shown when the profile is on for the tenant): account URLs, X-KEY, per-video overrides. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from './api-context';
import { ConfirmDialog } from './confirm-dialog';
import { KINDS, LABEL, TestButton, type Kind, type Video } from './mindstamp-kinds';
import { Videos } from './mindstamp-videos';
import { ErrorText, useToast } from './ui';

type Urls = Record<Kind, string>;
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
      <ul class="cards">
        <li>
          <AccountUrls onSaved={loadVideos} />
        </li>
        <li>
          <XKey />
        </li>
        <li>
          <Videos videos={videos} reload={loadVideos} />
        </li>
      </ul>
    </section>
  );
}

function AccountUrls({ onSaved }: { onSaved: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [urls, setUrls] = useState<Urls>(emptyUrls);
  /** Fields typed in before the saved URLs arrived: the load keeps them rather than overwrite them. */
  const edited = useRef(new Set<Kind>());
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void api.call(api.herald.GET('/api/v1/mindstamp/integration')).then(
      (settings) =>
        setUrls((current) => {
          const loaded = { ...emptyUrls(), ...stripNulls(settings.urls) };
          for (const kind of edited.current) loaded[kind] = current[kind];
          return loaded;
        }),
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
            onInput={(e) => {
              const value = (e.target as HTMLInputElement).value;
              edited.current.add(kind);
              setUrls((current) => ({ ...current, [kind]: value }));
            }}
          />
          <TestButton url={urls[kind]} kind={kind} />
        </div>
      ))}
      <ErrorText message={error} />
      <div class="card__actions">
        <button type="submit" class="button button--primary" data-write>
          Save URLs
        </button>
      </div>
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
      <div class="card__actions">
        <button type="button" class="button button--small" onClick={guarded(async () => setKey(await reveal()))}>
          Reveal
        </button>
        <button
          type="button"
          class="button button--small"
          onClick={guarded(async () => {
            await navigator.clipboard.writeText(key ?? (await reveal()));
            toast('X-KEY copied');
          })}
        >
          Copy
        </button>
        <button
          type="button"
          class="button button--small button--danger"
          data-write
          onClick={() => setConfirming(true)}
        >
          Rotate
        </button>
      </div>
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
