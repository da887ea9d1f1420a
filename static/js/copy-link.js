// Copy a link: <button data-copy-target="ID" data-copy-status="ID"> next to a read-only
// <input id="ID">. Uses the Clipboard API; where it is missing or refused (plain-HTTP
// hosts, old browsers) it selects the input and tries the legacy copy command, and if
// that fails too the link stays selected and the status asks for Ctrl+C. The status
// element is an aria-live region, so screen readers hear "Link copied".
(function () {
  "use strict";

  function announce(button, text) {
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!status) {
      return;
    }
    status.textContent = text;
    window.clearTimeout(button.copyTimer);
    button.copyTimer = window.setTimeout(function () {
      status.textContent = "";
    }, 4000);
  }

  function selectAndCopy(input) {
    input.focus();
    input.select();
    input.setSelectionRange(0, input.value.length);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) {
      return;
    }
    var copied = button.getAttribute("data-copied-text") || "Link copied";
    var manual = button.getAttribute("data-manual-text") || "Press Ctrl+C to copy";
    var fallback = function () {
      announce(button, selectAndCopy(input) ? copied : manual);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () {
        announce(button, copied);
      }, fallback);
    } else {
      fallback();
    }
  });
})();
