// Runs the theme's script bundle once the page is parsed, instead of as a blocking script
// at the end of the page (see build/theme_scripts.py): the browser can then draw the
// page, and a reader start answering, before about 100 KB of the theme's JavaScript runs.
//
// On a page whose tool is starting Python (cssc-tools.js marks <html data-cssc-theme-waits>
// before the page is parsed), the bundle waits until Python's first answer is on the
// page or the tool could not start ("cssc:runtime-settled"), until the reader does
// anything (a key, a pointer, the wheel, a touch, a focus), or THEME_WAIT_MS, whichever
// comes first. Its work (about 0.2 s of a laptop's main thread, with the restyling it
// causes) otherwise competes with Python's start for the same cores: measured on two
// cores, waiting brings Python's first answer about a quarter of a second sooner
// (bench/README.md). On a slow link, where the start waits for the network rather than
// the processor, THEME_WAIT_MS lets the theme's search, palette switch and instant
// navigation arrive long before Python does.
//
// The bundle starts its work on the DOMContentLoaded event, which has passed by the time
// it arrives, so the event is sent again for it. Then "cssc:theme-ready" tells our own
// scripts that the theme's instant navigation (window.document$) is there to follow.
(() => {
  const THEME_WAIT_MS = 3000;
  const READER_DOES_SOMETHING = ["pointerdown", "keydown", "wheel", "touchstart", "focusin"];
  const loader = document.currentScript;
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    for (const type of READER_DOES_SOMETHING) window.removeEventListener(type, start, true);
    const bundle = document.createElement("script");
    bundle.src = loader.dataset.bundle;
    bundle.addEventListener("load", () => {
      document.dispatchEvent(new Event("DOMContentLoaded"));
      document.dispatchEvent(new Event("cssc:theme-ready"));
    });
    document.body.append(bundle);
  };
  document.addEventListener(
    "DOMContentLoaded",
    () => {
      if (!("csscThemeWaits" in document.documentElement.dataset)) return start();
      document.addEventListener("cssc:runtime-settled", start, { once: true });
      for (const type of READER_DOES_SOMETHING) window.addEventListener(type, start, { capture: true, passive: true });
      window.setTimeout(start, THEME_WAIT_MS);
    },
    { once: true },
  );
})();
