// Starts the tools' Python worker as early as possible, on pages that have a tool (the
// build adds this script to their <head> only). Python takes a second or two to start;
// beginning before the theme's scripts and search index run saves much of that wait.
// cssc-tools.js adopts this worker and the messages it has already sent.
(() => {
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") return; // cssc-tools.js explains
  try {
    const worker = new Worker(new URL("cssc-worker.js", document.currentScript.src), { type: "module" });
    const early = [];
    const keep = (event) => early.push(event.data);
    const keepError = (event) => {
      event.preventDefault();
      early.push({ type: "failed", problem: "the runtime files could not be loaded" });
    };
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keepError);
    window.csscEarlyRuntime = {
      worker,
      // Hands over the messages so far and stops collecting them.
      adopt() {
        worker.removeEventListener("message", keep);
        worker.removeEventListener("error", keepError);
        delete window.csscEarlyRuntime;
        return early;
      },
    };
  } catch {
    // cssc-tools.js starts the worker itself, and reports any problem in words.
  }
})();
