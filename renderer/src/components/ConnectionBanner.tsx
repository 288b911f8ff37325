/** Shown while the engine is unreachable: what happened, that the run is safe, and what to do. */
import { useEffect, useState } from 'react';
import { useConnection } from '../store/connection-store';
import { bridge } from '../bridge-instance';

export function ConnectionBanner() {
  const { connected, lostAt } = useConnection();
  const [, tick] = useState(0);
  useEffect(() => {
    if (connected) return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [connected]);
  if (connected) return null;
  const secs = lostAt ? Math.round((Date.now() - lostAt) / 1000) : 0;
  const browser = bridge().host.kind === 'browser';
  return (
    <div className="banner" role="alert" data-testid="connection-banner">
      <strong>Connection to the engine lost</strong>
      {secs > 0 ? ` ${secs} s ago` : ''}. Reconnecting… A running migration keeps going in the engine and
      its checkpoints stay in Redis; this page catches up when the link is back.
      {browser ? ' If it does not come back, check that “xnai-migrate ui” is still running, then reload this page.' : ' If it does not come back, restart the app: the run resumes from its checkpoint.'}
    </div>
  );
}
