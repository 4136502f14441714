// Keeps a message's "120 of 300 sent" up to date while the worker sends it, without a reload.
// The page works without it: its "Refresh" link shows the same counts.
const POLL_MS = 2000;

const region = document.querySelector("[data-message-progress]");

if (region) {
  const url = region.dataset.progressUrl;
  const text = region.querySelector("[data-progress-text]");
  const failed = region.querySelector("[data-progress-failed]");
  const bar = region.querySelector("[data-progress-bar]");

  const show = (progress) => {
    // Only touch the live region when the words change, so screen readers hear each change once.
    if (text && text.textContent !== progress.text) text.textContent = progress.text;
    if (failed) {
      if (failed.textContent !== progress.failed_text) failed.textContent = progress.failed_text;
      failed.hidden = !progress.failed;
    }
    if (bar) {
      bar.max = progress.total;
      bar.value = progress.sent;
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const progress = await response.json();
        show(progress);
        if (progress.done) return;
      }
    } catch {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, POLL_MS);
  };

  window.setTimeout(poll, POLL_MS);
}
