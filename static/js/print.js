// A "Print" button (data-print) on pages with a print layout: the self-screen's result and
// the shortlist. Printing works from the browser's menu too; the button only appears when
// scripts run.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
