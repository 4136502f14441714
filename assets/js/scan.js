// The check-in scanner: reads attendees' QR codes with the camera and checks them in without
// a reload. The browser's own BarcodeDetector reads the codes where it exists; elsewhere the
// jsQR library is loaded, only then. Without JavaScript or a camera the page still works:
// the "type the booking reference" form posts and the server answers with a message.

const RESUME_AFTER_MS = 2000; // the answer stays up this long before the next scan
const SAME_CODE_IGNORED_MS = 6000; // a code still held up to the camera is not sent again
const SCAN_EVERY_MS = 200;
const LARGEST_FRAME = 800; // pixels: a bigger frame only makes jsQR slower

const scanner = document.querySelector("[data-scanner]");
const form = document.querySelector("[data-reference-form]");
const statusArea = document.querySelector("[data-scan-status]");

if (scanner && form && statusArea) {
  const texts = scanner.dataset;
  const outcomeLine = statusArea.querySelector("[data-scan-outcome]");
  const messageLine = statusArea.querySelector("[data-scan-message]");
  const counts = document.querySelector("[data-scan-counts]");
  const video = scanner.querySelector("[data-camera-preview]");
  const startButton = scanner.querySelector("[data-start-camera]");
  const stopButton = scanner.querySelector("[data-stop-camera]");
  const referenceField = form.querySelector("[name=reference]");
  // The CSRF cookie is not readable by scripts; the form carries the token.
  const csrfToken = form.querySelector("[name=csrfmiddlewaretoken]").value;

  const TAGS = {
    checked_in: ["govuk-tag--green", texts.textCheckedIn],
    already: ["govuk-tag--blue", texts.textAlready],
    refused: ["govuk-tag--red", texts.textRefused],
  };

  const show = (answer) => {
    outcomeLine.replaceChildren();
    const tag = TAGS[answer.outcome];
    if (tag) {
      const strong = document.createElement("strong");
      strong.className = `govuk-tag ${tag[0]}`;
      strong.textContent = tag[1];
      // A colour to see from a step away; the sentence below says the same to a screen reader.
      strong.setAttribute("aria-hidden", "true");
      outcomeLine.append(strong);
    }
    messageLine.textContent = answer.message;
    if (answer.counts && counts) counts.textContent = answer.counts.text;
  };

  const send = async (fields) => {
    const body = new URLSearchParams({ csrfmiddlewaretoken: csrfToken, ...fields });
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.json();
    } catch {
      return { outcome: "refused", message: texts.textOffline };
    }
  };

  // Typed references: answered in place, the focus stays in the field for the next one.
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = await send({ reference: referenceField.value });
    show(answer);
    if (answer.outcome !== "refused") referenceField.value = "";
    referenceField.focus();
  });

  // --- The camera -------------------------------------------------------------------------

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });

  const makeReader = async () => {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return async () => {
            const codes = await detector.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch {
        // Present but not working (some desktop browsers): use jsQR.
      }
    }
    await loadScript(scanner.dataset.jsqrUrl);
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      if (!video.videoWidth || !video.videoHeight) return null;
      const scale = Math.min(1, LARGEST_FRAME / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return code ? code.data : null;
    };
  };

  let stream = null;
  let readCode = null;
  let timer = null;
  let lastCode = "";
  let lastCodeAt = 0;

  const scanSoon = (delay) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(scanOnce, delay);
  };

  const scanOnce = async () => {
    if (!stream) return;
    let code = null;
    try {
      code = await readCode();
    } catch {
      code = null;
    }
    if (code && !(code === lastCode && Date.now() - lastCodeAt < SAME_CODE_IGNORED_MS)) {
      lastCode = code;
      const answer = await send({ code });
      lastCodeAt = Date.now();
      show(answer);
      scanSoon(RESUME_AFTER_MS);
      return;
    }
    scanSoon(SCAN_EVERY_MS);
  };

  const stopCamera = () => {
    window.clearTimeout(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  };

  // The camera starts only when the organiser asks: never on page load.
  startButton.addEventListener("click", async () => {
    startButton.disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      readCode = readCode || (await makeReader());
    } catch {
      stopCamera();
      show({ outcome: "", message: texts.textCameraRefused });
      startButton.disabled = false;
      return;
    }
    startButton.disabled = false;
    startButton.hidden = true;
    stopButton.hidden = false;
    stopButton.focus();
    show({ outcome: "", message: texts.textScanning });
    scanSoon(0);
  });

  stopButton.addEventListener("click", () => {
    stopCamera();
    startButton.focus();
  });
  // A page left open in a pocket does not keep the camera on.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden && stream) stopCamera();
  });

  // The preview fits the column (no inline styles: the Content-Security-Policy forbids them).
  video.style.width = "100%";
  video.style.maxWidth = "30rem";

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    scanner.hidden = false;
  } else {
    document.querySelector("[data-no-camera]").hidden = false;
  }
}
