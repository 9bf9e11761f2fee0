import type { CorrelationSettings } from '../../shared/domain/correlation';
import { errorText, type SliceCreator } from './types';

export interface SettingsSlice {
  settings: CorrelationSettings | null;
  settingsError: string | null;
  /** The correlation job started by the last save; the findings reload when it finishes. */
  settingsJobId: number | null;
  settingsSaving: boolean;
  loadSettings(): Promise<void>;
  /** Saves and re-runs the correlator (`settings.set`). */
  saveSettings(next: CorrelationSettings): Promise<boolean>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, client) => ({
  settings: null,
  settingsError: null,
  settingsJobId: null,
  settingsSaving: false,
  async loadSettings() {
    try {
      set({ settings: await client.invoke('settings.get', {}), settingsError: null });
    } catch (err) {
      set({ settingsError: errorText(err) });
    }
  },
  async saveSettings(next) {
    set({ settingsSaving: true, settingsError: null });
    try {
      const { jobId } = await client.invoke('settings.set', { settings: next });
      get().trackJob(jobId, 'correlate');
      set({ settings: next, settingsJobId: jobId, settingsSaving: false });
      return true;
    } catch (err) {
      set({ settingsSaving: false, settingsError: errorText(err) });
      return false;
    }
  },
});
