// Live updates from GET /api/v1/live (server-sent events). While the stream is down, pages re-fetch: at once when
// it comes back (the browser reconnects by itself), and every few seconds when the server has no stream at all.
import { useEffect, useRef, useState } from 'preact/hooks';

export type LiveEvent = 'site' | 'charge-point' | 'transaction' | 'event';
export type LiveState = 'connecting' | 'live' | 'polling';

type Listener = (event: LiveEvent, data: unknown) => void;

const pollIntervalMs = 5000;
const retryStreamMs = 30000;
const events: LiveEvent[] = ['site', 'charge-point', 'transaction', 'event'];

class LiveChannel {
  private source: EventSource | null = null;
  private listeners = new Set<Listener>();
  private refreshers = new Set<() => void>();
  private stateListeners = new Set<(state: LiveState) => void>();
  private pollTimer = 0;
  private retryTimer = 0;
  state: LiveState = 'connecting';

  start(): void {
    if (this.source) return;
    const source = new EventSource('/api/v1/live');
    this.source = source;
    for (const name of events) {
      source.addEventListener(name, (message) => {
        let data: unknown;
        try {
          data = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        this.listeners.forEach((listener) => listener(name, data));
      });
    }
    source.onopen = () => {
      this.setState('live');
      this.refreshAll();
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // No stream (not provided, or the session ended): poll, and try the stream again later.
        this.source = null;
        this.setState('polling');
        window.clearTimeout(this.retryTimer);
        this.retryTimer = window.setTimeout(() => this.start(), retryStreamMs);
      } else {
        this.setState('connecting');
      }
    };
  }

  stop(): void {
    this.source?.close();
    this.source = null;
    window.clearTimeout(this.retryTimer);
    this.setState('connecting');
  }

  subscribe(listener: Listener, refresh: () => void): () => void {
    this.listeners.add(listener);
    this.refreshers.add(refresh);
    return () => {
      this.listeners.delete(listener);
      this.refreshers.delete(refresh);
    };
  }

  watchState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private refreshAll(): void {
    this.refreshers.forEach((refresh) => refresh());
  }

  private setState(state: LiveState): void {
    this.state = state;
    window.clearInterval(this.pollTimer);
    if (state !== 'live') this.pollTimer = window.setInterval(() => this.refreshAll(), pollIntervalMs);
    this.stateListeners.forEach((listener) => listener(state));
  }
}

export const live = new LiveChannel();

// Runs `onEvent` for each live event and `refresh` whenever the page must re-fetch instead.
export function useLive(onEvent: Listener, refresh: () => void): void {
  const latest = useRef({ onEvent, refresh });
  latest.current = { onEvent, refresh };
  useEffect(() => live.subscribe((event, data) => latest.current.onEvent(event, data), () => latest.current.refresh()), []);
}

export function useLiveState(): LiveState {
  const [state, setState] = useState(live.state);
  useEffect(() => live.watchState(setState), []);
  return state;
}
