import { createStore, type StoreApi } from 'zustand/vanilla';

export type Theme = 'dark' | 'light';

export interface ThemeState {
  theme: Theme;
  toggle(): void;
}

/** The part of localStorage the theme needs; tests pass a Map-backed stand-in. */
export interface ThemeStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const themeStorageKey = 'box-office.theme';

/** Dark by default: box offices and gates are often dim, and a bright screen dazzles at night. */
export function createThemeStore(storage: ThemeStorage | undefined): StoreApi<ThemeState> {
  let saved: string | null = null;
  try {
    saved = storage?.getItem(themeStorageKey) ?? null;
  } catch {
    saved = null;
  }
  return createStore<ThemeState>()((set, get) => ({
    theme: saved === 'light' ? 'light' : 'dark',
    toggle() {
      const theme: Theme = get().theme === 'dark' ? 'light' : 'dark';
      set({ theme });
      try {
        storage?.setItem(themeStorageKey, theme);
      } catch {
        // A full or blocked storage only means the choice is not remembered.
      }
    },
  }));
}
