// Counts in the sentences Crossline writes (finding reasons, errors, the app's own words) read "1 privileged call" and
// "2 privileged calls", never "call(s)": a reason goes into the client's report as written. The number stays plain
// digits, as the core writes it everywhere else; the renderer's `countOf` (renderer/ui/format.ts) also groups thousands.

/**
 * `n` and its noun, singular for exactly one: `plural(1, 'call')` is "1 call", `plural(0, 'call')` "0 calls",
 * `plural(3, 'privileged call')` "3 privileged calls". A noun that does not just add an s gives its plural:
 * `plural(2, 'entry', 'entries')` is "2 entries".
 */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
