// Progressive enhancement for templates/programs/includes/share.html: the text-message and
// email links and the link field work without this file. Where the browser has them, it
// offers the phone's own share sheet (Web Share API) and a button that copies the link.
(function () {
  "use strict";
  document.querySelectorAll(".share").forEach(function (box) {
    var sheet = box.querySelector(".share-sheet");
    var copy = box.querySelector(".share-copy");
    var field = box.querySelector(".share-url");
    var status = box.querySelector(".share-status");

    if (sheet && navigator.share) {
      sheet.parentElement.hidden = false;
      sheet.addEventListener("click", function () {
        navigator
          .share({ title: sheet.dataset.title, text: sheet.dataset.text, url: sheet.dataset.url })
          .catch(function () {}); // closed without sharing: nothing to say
      });
    }
    if (field) {
      field.addEventListener("focus", function () { field.select(); });
    }
    if (copy && field && navigator.clipboard && window.isSecureContext) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          status.textContent = copy.dataset.copied;
        });
      });
    }
  });
})();
