// The training samples bundled with Crossline (resources/samples/<id>, written by the project's generator scripts).
// The app opens each as its own case in its data folder; the CLI's `npm run demo` and `demo:multicloud` analyse them.

export interface Sample {
  id: string;
  title: string;
  description: string;
}

export const SAMPLES = [
  {
    id: 'acme-org',
    title: 'AWS organisation',
    description: "A month of a made-up organisation's CloudTrail with three planted AN1348 chains and a few near misses.",
  },
  {
    id: 'globex-multicloud',
    title: 'Azure and Google Cloud',
    description:
      "An Azure tenant's Entra sign-ins and Activity log and a GCP project's audit logs, with three planted chains: a service provider's sign-in from a tenant never seen, a B2B guest's refreshed token, another organisation's service account impersonating a deployer.",
  },
] as const satisfies readonly Sample[];

export type SampleId = (typeof SAMPLES)[number]['id'];

/** The sample "Open the sample case" means when none is named. */
export const DEFAULT_SAMPLE: SampleId = 'acme-org';

export function isSampleId(value: unknown): value is SampleId {
  return SAMPLES.some((s) => s.id === value);
}
