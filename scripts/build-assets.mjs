// Builds build/static/: the compiled stylesheet, GOV.UK Frontend's JavaScript and our icons.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "static");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

for (const dir of ["css", "js", "govuk", "images"]) mkdirSync(join(out, dir), { recursive: true });

const css = sass.compile(join(root, "assets", "scss", "main.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "main.css"), css.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
// Images the stylesheet refers to ($govuk-assets-path): collectstatic's manifest needs them to exist.
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
cpSync(join(root, "assets", "js", "app.mjs"), join(out, "js", "app.mjs"));
cpSync(join(root, "assets", "js", "message-progress.mjs"), join(out, "js", "message-progress.mjs"));
// The live register: filter as you type, tick without a reload.
cpSync(join(root, "assets", "js", "register.js"), join(out, "js", "register.js"));
// The check-in scanner, and the QR reader it loads where the browser has no BarcodeDetector.
cpSync(join(root, "assets", "js", "scan.js"), join(out, "js", "scan.js"));
cpSync(join(root, "node_modules", "jsqr", "dist", "jsQR.js"), join(out, "js", "jsQR.js"));
// The Teams report upload: its progress bar, then "Reading the report…".
cpSync(join(root, "assets", "js", "teams_import.js"), join(out, "js", "teams_import.js"));
// The "Copy the token" button on a new API token's page.
cpSync(join(root, "assets", "js", "copy.mjs"), join(out, "js", "copy.mjs"));
// After "Add a passkey": on to the page that says it is added (the ceremony is django-otp-webauthn's).
cpSync(join(root, "assets", "js", "passkeys.mjs"), join(out, "js", "passkeys.mjs"));
cpSync(join(root, "assets", "favicon.svg"), join(out, "images", "favicon.svg"));
cpSync(join(root, "assets", "favicon.ico"), join(out, "images", "favicon.ico"));
console.log(`Built ${out}`);
