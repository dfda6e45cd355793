import { Environment } from '@marcbachmann/cel-js';
import type { EventEnvelope } from '@herald/contracts';

export const EVENT_FILTER_MAX_LENGTH = 1000;

/** What a filter sees: `event.type`, `event.data` and `event.metadata` (the envelope's other fields). */
export class FilterableEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;

  constructor(envelope: EventEnvelope) {
    const { eventType, data, ...metadata } = envelope;
    this.type = eventType;
    this.data = data;
    this.metadata = metadata;
  }
}

// Structural bounds keep parsing and checking small; the rules in refusalOf keep evaluation linear.
const environment = new Environment({
  limits: { maxAstNodes: 200, maxDepth: 32, maxListElements: 100, maxMapEntries: 100, maxCallArguments: 8 },
})
  .registerType('Event', { ctor: FilterableEvent, fields: { type: 'string', data: 'map', metadata: 'map' } })
  .registerVariable('event', 'Event');

const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

interface Node {
  op: string;
  args: unknown;
}
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as Node).op === 'string';
const childrenOf = (node: Node): Node[] =>
  (Array.isArray(node.args) ? node.args : [node.args]).flatMap((a) => (Array.isArray(a) ? a : [a])).filter(isNode);
const callName = (node: Node): string | undefined =>
  node.op === 'call' || node.op === 'rcall' ? String((node.args as unknown[])[0]) : undefined;

// Keeps evaluation linear in the event's size: no regexes (backtracking), no nested or
// outward-reaching comprehensions.
function refusalOf(node: Node, loopVariable?: string): string | null {
  const name = callName(node);
  if (name === 'matches') {
    return 'matches() is not available (regular expressions can take exponential time); use startsWith, endsWith or contains';
  }
  if (loopVariable !== undefined && node.op === 'id' && node.args !== loopVariable) {
    return `inside ${loopVariable}'s macro only ${loopVariable} may be used, not ${String(node.args)}`;
  }
  if (name && COMPREHENSIONS.has(name) && node.op === 'rcall') {
    if (loopVariable !== undefined) return `${name}() may not be nested inside another list macro`;
    const [, receiver, params] = node.args as [string, Node, Node[]];
    const [variable, ...body] = params;
    if (variable?.op !== 'id') return `${name}() needs a variable name as its first argument`;
    return refusalOf(receiver) ?? firstRefusal(body, String(variable.args));
  }
  return firstRefusal(childrenOf(node), loopVariable);
}

function firstRefusal(nodes: Node[], loopVariable?: string): string | null {
  for (const child of nodes) {
    const refusal = refusalOf(child, loopVariable);
    if (refusal) return refusal;
  }
  return null;
}

export class InvalidEventFilterError extends Error {}

/** A compiled filter: true when the webhook wants the event. Throws when evaluation fails. */
export interface EventFilter {
  readonly source: string;
  matches(event: FilterableEvent): boolean;
}

/** Parses and type-checks once; throws InvalidEventFilterError naming the problem. */
export function compileEventFilter(source: string): EventFilter {
  if (source.length > EVENT_FILTER_MAX_LENGTH) {
    throw new InvalidEventFilterError(`filter must be at most ${EVENT_FILTER_MAX_LENGTH} characters`);
  }
  let evaluate: ReturnType<Environment['parse']>;
  try {
    evaluate = environment.parse(source);
  } catch (error) {
    throw new InvalidEventFilterError(`filter is not a valid CEL expression: ${firstLine(error)}`);
  }
  const refusal = refusalOf(evaluate.ast as unknown as Node);
  if (refusal) throw new InvalidEventFilterError(`filter is not allowed: ${refusal}`);
  const checked = evaluate.check();
  if (!checked.valid) throw new InvalidEventFilterError(`filter does not type-check: ${firstLine(checked.error)}`);
  if (checked.type !== 'bool' && checked.type !== 'dyn') {
    throw new InvalidEventFilterError(`filter must be a boolean expression, not ${checked.type}`);
  }
  return {
    source,
    matches(event) {
      const result = evaluate({ event });
      if (typeof result !== 'boolean') throw new TypeError(`filter returned ${typeof result}, not a boolean`);
      return result;
    },
  };
}

/** The reason without the library's source excerpt (the lines that follow it). */
function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0];
}
