/** The window: header with the job's state, connection banner, tabs, the current page. */
import { useRef, type KeyboardEvent } from 'react';
import { useUi, setTab, setTheme, TABS, type Tab, type ThemeChoice } from './store/ui-store';
import { useRun } from './store/run-store';
import { ConnectionBanner } from './components/ConnectionBanner';
import { JobBadge, OutageBanner, useWaitingFor, waitingLabel } from './components/Outage';
import { SetupView } from './views/SetupView';
import { RunView } from './views/RunView';
import { RedisView } from './views/RedisView';
import { RunsView } from './views/RunsView';
import { QdrantView } from './views/QdrantView';
import { PointsView } from './views/PointsView';
import { fmtPercent } from './lib/format';
import { bridge } from './bridge-instance';

const TAB_LABEL: Record<Tab, string> = { setup: 'Set up', run: 'Run', runs: 'Runs', redis: 'Redis state', qdrant: 'Qdrant collection', points: 'Points' };

function Tabs() {
  const tab = useUi((s) => s.tab);
  const refs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  // WAI-ARIA tabs: arrows move between tabs, Home/End jump; Tab leaves the tab list.
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    let next: number | null = null;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[next]!;
    setTab(t);
    refs.current[t]?.focus();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Pages" onKeyDown={onKey}>
      {TABS.map((t) => (
        <button
          key={t}
          ref={(el) => {
            refs.current[t] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={tab === t}
          aria-controls={`panel-${t}`}
          tabIndex={tab === t ? 0 : -1}
          className="tab"
          data-testid={`tab-${t}`}
          onClick={() => setTab(t)}
        >
          {TAB_LABEL[t]}
        </button>
      ))}
    </nav>
  );
}

function HeaderStatus() {
  const status = useRun((s) => s.status);
  const progress = useRun((s) => s.progress);
  const runId = useRun((s) => s.runId);
  const waiting = useWaitingFor();
  const said = waiting.length ? waitingLabel(waiting) : status;
  return (
    <>
      {/* Screen readers hear state changes (not every progress tick, nor the countdown). */}
      <span className="sr-only" aria-live="polite">
        Job {said}
      </span>
      <button type="button" className="header-status" onClick={() => setTab('run')} aria-label={`Job ${said}; show the Run page`} data-run-id={runId ?? ''}>
      <JobBadge testId="header-status" />
      {progress ? <span className="header-pct">{fmtPercent(progress.processed + progress.failed, progress.total)}</span> : null}
      </button>
    </>
  );
}

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Auto' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function ThemeToggle() {
  const theme = useUi((s) => s.theme);
  return (
    <div className="theme-toggle" role="group" aria-label="Colour theme">
      {THEMES.map((t) => (
        <button key={t.value} type="button" aria-pressed={theme === t.value} data-testid={`theme-${t.value}`} onClick={() => setTheme(t.value)}>
          {t.label}
        </button>
      ))}
    </div>
  );
}

function Page({ tab }: { tab: Tab }) {
  switch (tab) {
    case 'setup':
      return <SetupView />;
    case 'run':
      return null; // always mounted, see App
    case 'runs':
      return <RunsView />;
    case 'redis':
      return <RedisView />;
    case 'qdrant':
      return <QdrantView />;
    case 'points':
      return <PointsView />;
  }
}

export function App() {
  const tab = useUi((s) => s.tab);
  return (
    <div className="app">
      <a className="skip-link" href={`#panel-${tab}`}>
        Skip to content
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true">◆</span>
          <span className="brand-name">XNAi Migrator</span>
          <span className="brand-sub">FAISS → Qdrant</span>
        </div>
        <HeaderStatus />
        <div className="topbar-right">
          <span className="host-kind" title="Where this window talks to the engine">{bridge().host.kind === 'electron' ? 'Desktop' : 'Browser'}</span>
          <ThemeToggle />
        </div>
      </header>
      <ConnectionBanner />
      <OutageBanner />
      <Tabs />
      <main id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`} tabIndex={-1} className="main">
        {/* The Run page stays mounted: building three recharts charts from scratch on every return to it
            took over a second on a loaded 2-core machine (bench ui); hidden, its charts stop redrawing. */}
        <div hidden={tab !== 'run'}>
          <RunView />
        </div>
        <Page tab={tab} />
      </main>
    </div>
  );
}
