// Builds build/static from npm packages: compiled GOV.UK CSS (Arial), its fonts-free assets and JS,
// Leaflet, and axe-core for the browser tests. Run by `make assets`; nothing here is committed.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";

const out = "build/static";
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "crimeplan"), { recursive: true });

execFileSync(
  "npx",
  ["sass", "--pkg-importer=node", "--no-source-map", "--style=compressed", "--quiet-deps",
   "src/crimeplan/core/scss/crimeplan.scss", join(out, "crimeplan", "crimeplan.css")],
  { stdio: "inherit" },
);

const govuk = "node_modules/govuk-frontend/dist/govuk";
cpSync(join(govuk, "assets"), join(out, "govuk", "assets"), { recursive: true });
// Arial only: the GDS Transport font files are not shipped.
rmSync(join(out, "govuk", "assets", "fonts"), { recursive: true, force: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync("node_modules/leaflet/dist", join(out, "leaflet"), { recursive: true });
console.log(`assets built in ${out}`);
