// Waiting for something to happen, never for a fixed time: an event (a promise) or a condition,
// each with a deadline after which the test fails naming what did not happen.

/** `p`, or a rejection naming `what` after `ms`. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for: ${what}`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `cond()` holds, checked every `everyMs`; rejects naming `what` after `ms`. For when no event says so. */
export async function until(cond: () => boolean, what: string, ms = 5000, everyMs = 10): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
