import type { Screen } from './app-slice';
import type { AppState } from './types';
import type { MenuInvoked } from '../../shared/ipc/contract';
import { isSampleId } from '../../shared/domain/samples';

/**
 * Carries out a native menu item (Electron's File and View menus): the same store actions as the screens' own
 * buttons, with the paths main's dialog returned. A path-taking item without paths (the dialog was cancelled) does
 * nothing.
 */
export function runMenuAction(state: AppState, { action, paths, sample }: MenuInvoked): void {
  const first = paths?.[0];
  switch (action) {
    case 'case.new':
      if (first) void state.createCase(first);
      return;
    case 'case.open':
      if (first) void state.openCase(first);
      return;
    case 'case.openSample':
      void state.openSample(isSampleId(sample) ? sample : undefined);
      return;
    case 'import.evidence':
      if (!paths?.length) return;
      state.stagePaths(paths);
      if (state.caseInfo) void state.startImport();
      state.navigate('import');
      return;
    default:
      state.navigate(SCREEN_OF[action]);
  }
}

/** The screen each View item (and Help ▸ About, shown in the settings) opens. */
const SCREEN_OF: Record<'view.findings' | 'view.explorer' | 'view.map' | 'view.settings' | 'help.about', Screen> = {
  'view.findings': 'findings',
  'view.explorer': 'explorer',
  'view.map': 'map',
  'view.settings': 'settings',
  'help.about': 'settings',
};
