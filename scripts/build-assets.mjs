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
cpSync(join(root, "assets", "favicon.svg"), join(out, "images", "favicon.svg"));
cpSync(join(root, "assets", "favicon.ico"), join(out, "images", "favicon.ico"));
console.log(`Built ${out}`);
