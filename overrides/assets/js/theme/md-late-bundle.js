// Runs the theme's script bundle once the page is parsed, instead of as a blocking script
// at the end of the page (see build/theme_scripts.py): the browser can then draw the
// page, and a reader start answering, before about 100 KB of the theme's JavaScript runs.
//
// The bundle starts its work on the DOMContentLoaded event, which has passed by the time
// it arrives, so the event is sent again for it. Then "cssc:theme-ready" tells our own
// scripts that the theme's instant navigation (window.document$) is there to follow.
// Inserted before the page's load event, the bundle still delays that event: anything
// waiting for "load" finds the theme ready.
(() => {
  const loader = document.currentScript;
  document.addEventListener(
    "DOMContentLoaded",
    () => {
      const bundle = document.createElement("script");
      bundle.src = loader.dataset.bundle;
      bundle.addEventListener("load", () => {
        document.dispatchEvent(new Event("DOMContentLoaded"));
        document.dispatchEvent(new Event("cssc:theme-ready"));
      });
      document.body.append(bundle);
    },
    { once: true },
  );
})();
