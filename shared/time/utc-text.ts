/** UTC ISO 8601 as findings and reports print it: milliseconds only when there are any (CloudTrail's are whole seconds). */
export function utcText(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
