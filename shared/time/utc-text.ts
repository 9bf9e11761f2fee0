/** UTC ISO 8601 as findings and reports print it: milliseconds only when there are any (CloudTrail's are whole seconds). */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** utcText, or a dash where there is no time (a case with no events, a run that never happened). */
export function utcTextOrDash(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : utcText(ms);
}
