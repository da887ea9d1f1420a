// Candidate list: "select all" and a live count for the bulk stage change.
// Without JavaScript the checkboxes and the form still work; this only helps.
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) return;
  var all = document.getElementById("select-all");
  var rows = Array.prototype.slice.call(document.querySelectorAll(".row-select"));
  var count = document.getElementById("bulk-count");
  var submit = document.getElementById("bulk-submit");
  var idle = count.textContent;

  function refresh() {
    var chosen = rows.filter(function (box) { return box.checked; }).length;
    // The words come from the page (data-one, data-many), so they are translated.
    count.textContent = chosen === 0 ? idle
      : chosen === 1 ? count.dataset.one
      : count.dataset.many.replace("__count__", String(chosen));
    submit.disabled = chosen === 0;
    if (all) {
      all.checked = chosen > 0 && chosen === rows.length;
      all.indeterminate = chosen > 0 && chosen < rows.length;
    }
  }

  if (all) {
    all.addEventListener("change", function () {
      rows.forEach(function (box) { box.checked = all.checked; });
      refresh();
    });
  }
  rows.forEach(function (box) { box.addEventListener("change", refresh); });
  refresh();
})();
