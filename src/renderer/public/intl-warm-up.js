// Loads Intl's locale data (ICU) in a worker while the page's code downloads and runs. The first
// use of Intl in a renderer process costs 30-160 ms; the data is shared by the whole process, so
// once the worker has loaded it the window's own formatters cost under a millisecond. A plain
// script of its own, asked for with the page: started from the app's code, it began too late to
// finish before the first rows format their times. The <html> element says whether it started,
// so the app builds its formatters itself when it did not (src/renderer/format/format.ts).
try {
  const worker = new Worker('./intl-warm-up-worker.js');
  const stop = () => worker.terminate();
  worker.onmessage = stop;
  worker.onerror = stop;
  document.documentElement.dataset.intlWarmUp = 'worker';
} catch {
  // No workers here (a file:// page may not start one): the app warms up on its own thread.
}
