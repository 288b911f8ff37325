/** Which page is shown and the colour theme (the only thing kept in localStorage: never a secret). */
import { create } from 'zustand';

export const TABS = ['setup', 'run', 'runs', 'redis', 'qdrant', 'points'] as const;
export type Tab = (typeof TABS)[number];
export type ThemeChoice = 'system' | 'light' | 'dark';

const THEME_KEY = 'xnai.theme';

function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

interface UiState {
  tab: Tab;
  theme: ThemeChoice;
}

export const useUi = create<UiState>()(() => ({ tab: 'setup', theme: storedTheme() }));

export function setTab(tab: Tab): void {
  useUi.setState({ tab });
}

export function applyTheme(theme: ThemeChoice): void {
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
}

export function setTheme(theme: ThemeChoice): void {
  useUi.setState({ theme });
  applyTheme(theme);
  try {
    if (theme === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Storage may be unavailable (file:// with strict settings); the toggle still works for this session.
  }
}
