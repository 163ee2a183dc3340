// The guides' call page, enhanced; every part of it works without this file.
// 1. "In danger now: yes" brings up the crisis script at once and hides the rest of the call.
// 2. Its forms are sent without leaving the page: the server's answer (the same page, with
//    its message in the section acted on) replaces the call, and focus moves to the message.
(function () {
  "use strict";

  function callPage() {
    return document.querySelector("[data-call-page]");
  }

  function showCrisis(page) {
    var script = page.querySelector("[data-crisis-script]");
    var work = page.querySelector("[data-call-work]");
    if (!script || !work) {
      return;
    }
    script.hidden = false;
    work.hidden = true;
    script.focus();
  }

  function prepare(page) {
    page.querySelectorAll("[data-without-script]").forEach(function (element) {
      element.hidden = true;
    });
  }

  // The answer's message (or its errors), focused and in view; returns where it is.
  function focusResult(page, sectionId) {
    var section = sectionId && document.getElementById(sectionId);
    var target =
      page.querySelector("[data-done], .saved[role=status]") ||
      (section && section.querySelector(".form-errors, .field-error")) ||
      page.querySelector(".form-errors") ||
      section ||
      page.querySelector("[data-crisis-script]:not([hidden])");
    if (!target) {
      return "";
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
    target.scrollIntoView({ block: "nearest" });
    var place = target.closest("[id]");
    return place ? place.id : "";
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    var page = callPage();
    if (page && input.name === "danger_now" && input.value === "yes" && input.checked) {
      showCrisis(page);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var page = callPage();
    // Attributes, not properties: a control named "action" hides form.action.
    var method = (form.getAttribute("method") || "get").toLowerCase();
    if (!page || !page.contains(form) || method !== "post") {
      return;
    }
    event.preventDefault();
    var sectionElement = form.closest("section[id], article[id]");
    var sectionId = sectionElement ? sectionElement.id : "";
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    fetch(new URL(form.getAttribute("action") || "", location.href), {
      method: "POST",
      body: new FormData(form, event.submitter),
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.text().then(function (html) {
          return { response: response, html: html };
        });
      })
      .then(function (answer) {
        var doc = new DOMParser().parseFromString(answer.html, "text/html");
        var fresh = doc.querySelector("[data-call-page]");
        if (!fresh) {
          // Not the call page (signed out, an error page): let the browser go there.
          buttons.forEach(function (button) {
            button.disabled = false;
          });
          HTMLFormElement.prototype.submit.call(form);
          return;
        }
        fresh = document.adoptNode(fresh);
        page.replaceWith(fresh);
        document.title = doc.title;
        prepare(fresh);
        var place = focusResult(fresh, sectionId);
        if (answer.response.redirected) {
          // Where the server sent the browser, with the place it would have landed on
          // (a fetch does not see the fragment).
          history.replaceState(null, "", answer.response.url + (place ? "#" + place : ""));
        }
      })
      .catch(function () {
        HTMLFormElement.prototype.submit.call(form);
      });
  });

  var page = callPage();
  if (page) {
    prepare(page);
  }
})();
