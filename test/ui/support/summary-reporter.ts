// Says which tests did not run and why (the list reporter shows a skip without its reason), then closes
// with one plain line, `ui: N passed, N failed, N skipped`.
import { relative } from 'node:path';
import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private passed = 0;
  private failed = 0;
  private skipped: string[] = [];

  onTestEnd(test: TestCase, result: TestResult): void {
    // Only the final attempt counts.
    if (result.retry < test.retries && result.status !== 'passed' && result.status !== 'skipped') return;
    if (result.status === 'passed') this.passed++;
    else if (result.status === 'skipped') {
      const why = test.annotations.filter((a) => a.type === 'skip' || a.type === 'fixme').map((a) => a.description).filter(Boolean).join('; ');
      this.skipped.push(`${relative(process.cwd(), test.location.file)} › ${test.title} — ${why || 'skipped'}`);
    } else this.failed++;
  }

  onEnd(result: FullResult): void {
    if (this.skipped.length) console.log(`\nDid not run (${this.skipped.length}):\n${this.skipped.map((s) => `  - ${s}`).join('\n')}`);
    if (result.status !== 'passed' && this.failed === 0) this.failed = 1;
    console.log(`\nui: ${this.passed} passed, ${this.failed} failed, ${this.skipped.length} skipped`);
  }

  printsToStdio(): boolean {
    return true;
  }
}
