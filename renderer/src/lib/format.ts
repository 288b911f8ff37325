/** Number, size and duration formatting for the dashboard (en-US grouping so screenshots read the same everywhere). */
const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const dec1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

export function fmtInt(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '—' : int.format(n);
}

export function fmtRate(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n >= 100 ? int.format(n) : dec1.format(n);
}

export function fmtMb(mb: number | null | undefined): string {
  if (mb === null || mb === undefined || !Number.isFinite(mb)) return '—';
  return mb >= 1024 ? `${dec1.format(mb / 1024)} GB` : `${int.format(mb)} MB`;
}

export function fmtBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? int.format(v) : dec1.format(v)} ${units[u]}`;
}

/** 3725 → "1:02:05", 65 → "1:05"; null → "—". */
export function fmtDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

export function fmtPercent(done: number, total: number): string {
  if (total <= 0) return '0%';
  const p = Math.min(100, (done / total) * 100);
  return `${p >= 99.95 && done < total ? '99.9' : dec1.format(p)}%`;
}

export function fmtClock(at: number): string {
  return new Date(at).toLocaleTimeString('en-GB', { hour12: false });
}

export function fmtTtl(ms: number | null): string {
  if (ms === null) return 'no expiry';
  if (ms < 1000) return `${ms} ms`;
  return `${dec1.format(ms / 1000)} s`;
}
