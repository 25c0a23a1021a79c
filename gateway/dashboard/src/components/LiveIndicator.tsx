import { useEffect, useState } from 'preact/hooks';
import { type LiveState } from '../api/live.js';
import { useSession } from '../context.js';
import { connectionTracker } from '../hooks.js';

const LABELS: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/** Whether live updates are flowing (the graphql-ws connection to the gateway). */
export function LiveIndicator() {
  const { live } = useSession();
  // From the first render on, so that any view knows since when the connection is down.
  connectionTracker(live);
  const [state, setState] = useState<LiveState>(live.state());
  useEffect(() => {
    setState(live.state());
    return live.onState(setState);
  }, [live]);
  return (
    <p class={`live live-${state}`} role="status" aria-live="polite" data-state={state}>
      <span class="dot" aria-hidden="true" />
      {LABELS[state]}
    </p>
  );
}
