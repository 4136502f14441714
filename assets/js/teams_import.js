// Shows how far the upload of a Teams attendance report has got, then "Reading the report…"
// while the server reads it. Without JavaScript the form posts as any form does; with it, the
// same post goes by XMLHttpRequest (fetch cannot report upload progress) and the page the
// server answers with (the preview, or the form with its errors) replaces this one.
const form = document.querySelector("form[data-teams-upload]");
const box = form && form.querySelector("[data-upload-progress]");

if (form && box && window.FormData && window.XMLHttpRequest) {
  const bar = box.querySelector("progress");
  const status = box.querySelector("[data-upload-status]");
  const button = form.querySelector("button[type=submit]");
  const file = form.querySelector("input[type=file]");
  // The words come from the page, where they are translated.
  const uploading = box.dataset.textUploading || "Uploading:";
  const reading = box.dataset.textReading || "Reading the report…";

  const say = (text) => {
    // The live region is read out on each change: only change it when the words change.
    if (status.textContent !== text) status.textContent = text;
  };

  const fallBack = () => {
    // Something went wrong on the way: post the form the ordinary way instead.
    box.hidden = true;
    form.submit();
  };

  form.addEventListener("submit", (event) => {
    // Nothing chosen: the server's error summary says so, with no bar to watch.
    if (!file || !file.files || file.files.length === 0) return;
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.responseType = "text";
    box.hidden = false;
    bar.value = 0;
    bar.max = 100;
    say(`${uploading} 0%`);
    if (button) button.disabled = true;

    let lastTenth = -1;
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.floor((progress.loaded / progress.total) * 100);
      bar.value = percent;
      // Tell screen readers every 10%, not every packet.
      const tenth = Math.floor(percent / 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        say(`${uploading} ${tenth * 10}%`);
      }
    });
    request.upload.addEventListener("load", () => {
      bar.value = 100;
      bar.removeAttribute("value"); // an indeterminate bar while the server reads
      say(reading);
    });
    request.addEventListener("load", () => {
      if (request.status >= 500 || !request.responseText) {
        fallBack();
        return;
      }
      if (request.responseURL && request.responseURL !== window.location.href) {
        window.history.replaceState(null, "", request.responseURL);
      }
      // The answer is a whole page: show it as the browser would have after a normal post.
      document.open();
      document.write(request.responseText);
      document.close();
      window.scrollTo(0, 0);
    });
    request.addEventListener("error", fallBack);
    request.send(new FormData(form));
  });
}
