// "Copy" buttons beside text to copy (a new API token): a press puts the text on the clipboard
// and says so in a status message. The page works without it: the button stays hidden and the
// hint says how to select and copy the text by hand.
for (const button of document.querySelectorAll("[data-copy-from]")) {
  const source = document.getElementById(button.dataset.copyFrom);
  const status = document.getElementById(button.dataset.copyStatus);
  if (!source || !status || !navigator.clipboard) continue;
  button.classList.remove("govuk-!-display-none");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.value);
      status.textContent = button.dataset.copied;
    } catch {
      // No permission (or not a secure page): select the text for the person to copy.
      source.focus();
      source.select();
      status.textContent = button.dataset.copyFailed;
    }
  });
}
