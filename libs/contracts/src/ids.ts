import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

/** Time-ordered ids with a type prefix, e.g. `wh_0193…`. Sortable, so usable as cursors. */
export function newId(prefix: 'evt' | 'wh' | 'att' | 'dlv' | 'key' | 'msg'): string {
  return `${prefix}_${uuidv7().replace(/-/g, '')}`;
}

/**
 * A delivery is one (event, webhook) pair. Its id is derived, so a matcher that processes the
 * same event twice (after a crash) produces the same delivery ids and downstream can dedupe.
 */
export function deliveryIdFor(eventId: string, webhookId: string): string {
  return `dlv_${createHash('sha256').update(eventId).update('\0').update(webhookId).digest('hex').slice(0, 32)}`;
}
