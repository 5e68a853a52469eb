// Peak resident memory and CPU time of a host process, from Linux's /proc/<pid>/status and /proc/<pid>/stat.
import { readFile, writeFile } from 'node:fs/promises';

/** Clock ticks per second in /proc/<pid>/stat: USER_HZ, which is 100 on Linux for x86-64 and arm64. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Returns the CPU time (user and system) that process `pid` has used so far, in seconds. */
export async function readCpuSeconds(pid) {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name in brackets may contain spaces, so the fields are counted after its closing bracket.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return (userTicks + systemTicks) / CLOCK_TICKS_PER_SECOND;
}

const SAMPLE_INTERVAL_MS = 100;

async function statusField(pid, field) {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!match) throw new Error(`/proc/${pid}/status has no ${field} line.`);
  return Number(match[1]) * 1024;
}

/**
 * Watches the peak resident memory of process `pid` during one measured run.
 *
 * It resets the kernel's high-water mark (VmHWM) by writing 5 to /proc/<pid>/clear_refs (Linux 4.0
 * and later, allowed for the process's owner), so VmHWM afterwards is the peak of this run alone. It
 * also samples VmRSS every 100 ms, which serves when the reset is not allowed. `stop()` returns
 * `{ peakBytes, method }`, where `method` is 'VmHWM' or 'VmRSS samples'.
 */
export async function watchPeakMemory(pid) {
  const reset = await writeFile(`/proc/${pid}/clear_refs`, '5').then(
    () => true,
    () => false,
  );

  let sampledPeak = 0;
  const sample = () =>
    statusField(pid, 'VmRSS').then(
      (bytes) => {
        sampledPeak = Math.max(sampledPeak, bytes);
      },
      // The process may have exited; the last samples still count.
      () => undefined,
    );
  await sample();
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);

  return {
    async stop() {
      clearInterval(timer);
      await sample();
      if (!reset) return { peakBytes: sampledPeak, method: 'VmRSS samples' };
      return { peakBytes: await statusField(pid, 'VmHWM'), method: 'VmHWM' };
    },
  };
}
