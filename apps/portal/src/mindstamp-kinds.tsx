/** What the Mindstamp pages share: the three kinds and the "Test" button beside a URL. */
import type { Schema } from '@herald/sdk';
import { useApi } from './api-context';
import { useToast } from './ui';

export const KINDS = ['view', 'interaction', 'lead'] as const;
export type Kind = (typeof KINDS)[number];
export type Video = Schema<'MindstampVideo'>;
export const LABEL: Record<Kind, string> = { view: 'View', interaction: 'Interaction', lead: 'Lead' };

/** "Test" beside a URL: a signed sample of the kind, with the X-KEY, to a URL not saved yet. */
export function TestButton({ url, kind, videoId }: { url: string; kind: Kind; videoId?: string }) {
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
    <div>
      <button type="button" class="button button--small" onClick={test} disabled={!url.trim()}>
        Test {LABEL[kind].toLowerCase()} URL
      </button>
    </div>
  );
}
