// Progressive enhancement for /programs/: the page works fully without this file.
// On wide screens, where filters sit beside the results, they start open.
(function () {
  "use strict";
  var filters = document.getElementById("filters");
  if (filters && window.matchMedia("(min-width: 60rem)").matches) {
    filters.open = true;
  }
})();
