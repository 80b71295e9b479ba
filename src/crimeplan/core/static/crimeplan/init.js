// Starts GOV.UK Frontend's components. A file of its own, not an inline script, so that the
// Content-Security-Policy can refuse every inline script. It also sets the two body classes
// GOV.UK's page template would set inline (a module runs only where GOV.UK Frontend does).
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
