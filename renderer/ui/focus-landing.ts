// Where the keyboard focus goes when what held it went away: Enter on a finding opens its timeline and removes the
// finding's button, Alt+5 from the timeline's event list removes that list. The browser then leaves the focus on
// <body>, so j/k and the arrows did nothing until the analyst clicked into the new screen.

/** The attribute a screen puts on the one element that should take a lost focus (its list, usually). */
export const LANDING_ATTR = 'data-focus-landing';

/** Spread on the element that takes a lost focus on its screen, when `on`. */
export function focusLanding(on = true): { [LANDING_ATTR]?: '' } {
  return on ? { [LANDING_ATTR]: '' } : {};
}

/**
 * Moves a lost focus into `main`: onto its landing element, else `main` itself (tabindex -1), so the next Tab starts
 * inside the screen shown. Focus the analyst put somewhere (the nav, a field) stays where it is.
 */
export function landLostFocus(main: HTMLElement | null): void {
  if (!main) return;
  const active = document.activeElement;
  // `main` itself held it for the screen before (one with no landing element): the new screen's list takes it.
  if (active && active !== document.body && active !== main && active.isConnected) return;
  const target = main.querySelector<HTMLElement>(`[${LANDING_ATTR}]`) ?? main;
  target.focus();
}
