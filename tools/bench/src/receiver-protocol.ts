import type { LedgerSummary } from './delivery-ledger';

/** How an endpoint answers: 200, never (the sender's timeout ends it), or 500. */
export type EndpointMode = 'ok' | 'hang' | 'error';

export type PhaseSummary = LedgerSummary & { hung: number; refused: number };
export interface SignatureStats {
  checked: number;
  bad: number;
  /** Requests to no known endpoint (answered 404). */
  unknown: number;
}

/** Bench → receiver process (IPC). */
export type ToReceiver =
  | { type: 'endpoint'; key: string; mode: EndpointMode; secret: string | null }
  | { type: 'arrivals'; phase: string; on: boolean }
  | { type: 'forget'; phase: string }
  | { type: 'summary'; id: number; phase: string }
  | { type: 'ping'; id: number }
  | { type: 'stop' };

/** Receiver process → bench. Arrivals are [eventId, endpoint key, epoch ms (sub-ms)]. */
export type FromReceiver =
  | { type: 'ready'; port: number }
  | { type: 'progress'; counts: [string, number][]; arrivals: [string, string, number][] }
  | { type: 'reply'; id: number; summary?: PhaseSummary; clock?: number; signatures?: SignatureStats };
