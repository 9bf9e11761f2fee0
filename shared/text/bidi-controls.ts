// Text from the logs is shown as it is, except the Unicode characters that reorder what follows them on screen
// ("Trojan Source", CVE-2021-42574): a user agent `\u202Elive` would read as "evil". Such a character is shown as a
// visible marker naming its code point, so the analyst reads the characters in their stored order and sees that a
// control was there. Searching and filtering still use the stored text.

/**
 * The explicit directional embeddings, overrides and isolates, and their terminators (UAX #9), and the implicit marks
 * (LRM U+200E, RLM U+200F, ALM U+061C): invisible, and a mark between the groups of an address is enough to show
 * `185.220.101.4` in another order.
 */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟦U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`);
}
