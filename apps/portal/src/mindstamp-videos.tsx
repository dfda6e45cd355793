/** The Mindstamp page's videos: each one's opt-in per kind and override URL, listed and edited. */
import { useState } from 'preact/hooks';
import { useApi } from './api-context';
import { KINDS, LABEL, TestButton, type Kind, type Video } from './mindstamp-kinds';
import { ErrorText, useToast } from './ui';

export function Videos({ videos, reload }: { videos: Video[] | null; reload: () => Promise<void> }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [newId, setNewId] = useState('');
  return (
    <div class="card" aria-labelledby="videos-title">
      <h2 id="videos-title">Videos</h2>
      <p class="muted">A video sends a kind only when it is ticked; a blank URL uses the account URL.</p>
      {videos === null && <p class="muted">Loading videos…</p>}
      {videos?.length === 0 && <p class="muted">No video sends webhooks yet.</p>}
      <ul class="cards">
        {videos?.map((video) =>
          editing === video.videoId ? (
            <VideoEditor key={video.videoId} video={video} done={() => setEditing(null)} reload={reload} />
          ) : (
            <li key={video.videoId} class="card" data-video={video.videoId}>
              <strong>{video.videoId}</strong>
              {KINDS.map((kind) => (
                <p key={kind} class="card__url">
                  {LABEL[kind]}: {video[kind].enabled ? (video[kind].deliveredTo ?? 'no URL') : 'off'}
                </p>
              ))}
              <div class="card__actions">
                <button type="button" class="button button--small" onClick={() => setEditing(video.videoId)}>
                  Edit {video.videoId}
                </button>
              </div>
            </li>
          ),
        )}
        {editing !== null && !videos?.some((v) => v.videoId === editing) && (
          <VideoEditor video={{ videoId: editing }} done={() => setEditing(null)} reload={reload} />
        )}
      </ul>
      <div class="toolbar">
        <div class="field field--inline field--grow">
          <label for="new-video">Video id</label>
          <input
            id="new-video"
            type="text"
            value={newId}
            onInput={(e) => setNewId((e.target as HTMLInputElement).value)}
          />
        </div>
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
      <div class="card__actions">
        <button type="button" class="button button--primary" data-write onClick={save}>
          Save {videoId}
        </button>
        {props.video.creationDate && (
          <button type="button" class="button button--danger-text" data-write onClick={remove}>
            Stop webhooks for {videoId}
          </button>
        )}
        <button type="button" class="button" onClick={props.done}>
          Cancel
        </button>
      </div>
    </li>
  );
}
