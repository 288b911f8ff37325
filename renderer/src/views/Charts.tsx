/**
 * Live charts: throughput, engine RSS against the limit, batch latency. Throughput and latency break where the
 * job was not running (pauses, the time before the first batch), rather than drawing a line across. Recharts with every animation off
 * (appended points animate badly, recharts#1961), a numeric time axis, a shared syncId so tooltips line
 * up, and at most CHART_CAPACITY samples (ring buffer in the store). Colours come from CSS classes so
 * the light and dark themes apply without re-rendering.
 */
import { memo, useDeferredValue, useRef } from 'react';
import { useUi } from '../store/ui-store';
import type { DotItemDotProps } from 'recharts/types/util/types';
import type { DotPoint } from 'recharts/types/component/Dots';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRun, type ChartSample } from '../store/run-store';
import { fmtClock, fmtInt, fmtMb } from '../lib/format';
import { memoryScale } from '../lib/chart-scale';

const SYNC = 'run';
const HEIGHT = 200;

function TimeAxis() {
  return <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={fmtClock} minTickGap={48} tick={{ fontSize: 11 }} />;
}

/**
 * With gaps in a line (connectNulls off), a running stretch of one sample has no segment to draw: give such
 * a lone sample a dot so a short burst between two pauses is still visible.
 */
function loneDot(key: 'pps' | 'latencyMs') {
  return function LoneDot(props: DotItemDotProps) {
    const { cx, cy, index, points } = props;
    const value = (p: DotPoint | undefined) => (p?.payload as ChartSample | undefined)?.[key] ?? null;
    if (cx === undefined || cy === undefined || value(points[index]) === null || value(points[index - 1]) !== null || value(points[index + 1]) !== null) return <g key={index} />;
    return <circle key={index} cx={cx} cy={cy} r={2.5} className="lone-dot" />;
  };
}
const ppsDot = loneDot('pps');
const latencyDot = loneDot('latencyMs');

/** Whether any sample stands alone: only then does a line get a dots layer (one element per sample). */
function hasLone(data: readonly ChartSample[], key: 'pps' | 'latencyMs'): boolean {
  for (let i = 0; i < data.length; i++) {
    if (data[i]![key] !== null && (data[i - 1]?.[key] ?? null) === null && (data[i + 1]?.[key] ?? null) === null) return true;
  }
  return false;
}

const tooltipLabel = (t: unknown) => (typeof t === 'number' ? fmtClock(t) : String(t));

const Throughput = memo(function Throughput({ data }: { data: ChartSample[] }) {
  return (
    <figure className="chart" aria-label="Throughput, points per second, over time">
      <figcaption>Throughput (points/s)</figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} syncId={SYNC} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <TimeAxis />
          <YAxis width={56} tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v: number) => fmtInt(v)} />
          <Tooltip labelFormatter={tooltipLabel} formatter={(v) => [fmtInt(Number(v)), 'points/s']} />
          <Line className="series-throughput" type="linear" dataKey="pps" name="points/s" dot={hasLone(data, 'pps') ? ppsDot : false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});

const Memory = memo(function Memory({ data, limitMb }: { data: ChartSample[]; limitMb: number | null }) {
  const { top, showsLimit, peakMb } = memoryScale(data, limitMb);
  const share = limitMb && peakMb !== null ? (peakMb / limitMb) * 100 : null;
  return (
    <figure className="chart" aria-label="Engine RSS against the memory limit">
      <figcaption>
        Engine RSS (MB)
        <span className="legend" data-testid="memory-limit-note">
          {limitMb !== null ? `limit ${fmtMb(limitMb)}${share !== null ? `, peak ${share < 1 ? share.toFixed(1) : Math.round(share)}% of it` : ''}${showsLimit ? '' : ' (off the scale)'}` : null}
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} syncId={SYNC} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <TimeAxis />
          <YAxis width={56} tick={{ fontSize: 11 }} domain={[0, Math.ceil(top)]} allowDataOverflow tickFormatter={(v: number) => fmtInt(v)} />
          <Tooltip labelFormatter={tooltipLabel} formatter={(v, name) => [fmtMb(Number(v)), name]} />
          <Line className="series-rss" type="linear" dataKey="rssMb" name="engine RSS" dot={false} strokeWidth={2} isAnimationActive={false} connectNulls />
          {showsLimit && limitMb !== null ? <ReferenceLine className="limit-line" y={limitMb} strokeDasharray="6 4" label={{ value: `limit ${fmtMb(limitMb)}`, position: 'insideTopRight', fontSize: 11 }} /> : null}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});

const Latency = memo(function Latency({ data }: { data: ChartSample[] }) {
  return (
    <figure className="chart" aria-label="Latency of acknowledged upserts, milliseconds">
      <figcaption>Batch latency (ms)</figcaption>
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart data={data} syncId={SYNC} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <TimeAxis />
          <YAxis width={56} tick={{ fontSize: 11 }} allowDecimals={false} tickFormatter={(v: number) => fmtInt(v)} />
          <Tooltip labelFormatter={tooltipLabel} formatter={(v) => [`${fmtInt(Number(v))} ms`, 'batch latency']} />
          <Line className="series-latency" type="linear" dataKey="latencyMs" name="ms" dot={hasLone(data, 'latencyMs') ? latencyDot : false} strokeWidth={2} isAnimationActive={false} connectNulls={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});

/** The three charts for a series of samples: the live run's, or a run's recorded history (Runs page). */
export function ChartsFor({ samples, limitMb, testId }: { samples: ChartSample[]; limitMb: number | null; testId: string }) {
  return (
    <div className="charts" data-testid={testId} data-samples={samples.length}>
      <Throughput data={samples} />
      <Memory data={samples} limitMb={limitMb} />
      <Latency data={samples} />
    </div>
  );
}

export function RunCharts() {
  // Deferred: React renders the charts in an interruptible transition, in small slices between frames,
  // so a chart update never holds the main thread for the whole redraw.
  const live = useRun((s) => s.samples);
  const visible = useUi((s) => s.tab === 'run');
  // While another page is shown the charts keep their last data and do not redraw.
  const shown = useRef(live);
  if (visible) shown.current = live;
  const samples = useDeferredValue(shown.current);
  const limitMb = useRun((s) => s.memory?.limitMb ?? null);
  return <ChartsFor samples={samples} limitMb={limitMb} testId="charts" />;
}
