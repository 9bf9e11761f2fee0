// The open case's file deleted, moved or replaced on disk was noticed only when a request failed: an analyst reading the
// timeline, asking nothing of the core, learnt it when a note would not save. While a case is open and the window is
// shown, the app asks every few seconds (`case.check`: the core's one-stat file check, nothing read from the case),
// and at once when the window is shown again.
import { useEffect } from 'react';
import { useApp, useAppStore } from '../state/store';

/** How often the open case's file is checked while the window is visible, in ms. */
export const CASE_FILE_CHECK_MS = 3_000;

export function useCaseFileWatch(): void {
  const store = useAppStore();
  const watching = useApp((s) => s.caseInfo !== null && s.caseGone?.caseInfo !== s.caseInfo);
  useEffect(() => {
    if (!watching) return;
    const check = () => {
      if (document.visibilityState === 'visible') void store.getState().checkCaseFile();
    };
    const timer = window.setInterval(check, CASE_FILE_CHECK_MS);
    document.addEventListener('visibilitychange', check);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
    };
  }, [store, watching]);
}
