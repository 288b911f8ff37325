/** The current time, updated every `everyMs` while `on` (countdowns, "12 s ago"); no timer otherwise. */
import { useEffect, useState } from 'react';

export function useNow(on: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [on, everyMs]);
  return now;
}
