// node:test reporter that prints one closing line in the plain "N passed, N failed, N skipped" form that
// CI reads. It counts tests, not the describe blocks around them; a failing before/after hook and a
// test cancelled by it count as failures. With WEEEK_E2E_SUMMARY_FILE set it appends the counts to that
// file as one JSON line instead, so that run.mjs can print one total for several runs.
import { appendFile } from 'node:fs/promises';

export default async function* summaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details } = event.data;
    const isSuite = details?.type === 'suite';
    if (event.type === 'test:pass' && !isSuite) {
      if (event.data.skip || event.data.todo) counts.skipped += 1;
      else counts.passed += 1;
    }
    // A suite fails with 'subtestsFailed' when one of its tests failed, which is counted already; any
    // other suite failure is a failed before/after hook.
    if (event.type === 'test:fail' && (!isSuite || details?.error?.failureType !== 'subtestsFailed')) {
      counts.failed += 1;
    }
  }
  const file = process.env.WEEEK_E2E_SUMMARY_FILE;
  if (file) {
    await appendFile(file, `${JSON.stringify(counts)}\n`);
    return;
  }
  yield `\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`;
}
