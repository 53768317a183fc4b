// Progressive enhancement for the pages; no inline script anywhere (Content-Security-Policy).
(function () {
  "use strict";

  // Language switch (and any select marked so): submit its form on change.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Print buttons (the client notice): print the page.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Client choice (existing participant or a new one): show the part that applies.
  document.querySelectorAll("fieldset.client-choice").forEach(function (fs) {
    function sync() {
      var checked = fs.querySelector("input[type=radio]:checked");
      var mode = checked ? checked.value : "existing";
      fs.querySelectorAll("[data-mode]").forEach(function (part) {
        part.hidden = part.dataset.mode !== mode;
      });
    }
    fs.querySelectorAll("input[type=radio]").forEach(function (r) {
      r.addEventListener("change", sync);
    });
    sync();
  });

  // New participant: show only the fields of the chosen type (all visible without JS).
  var form = document.querySelector("#participant-form[data-type-sync]");
  var select = form && form.querySelector("#id_type");
  if (select) {
    var syncTypes = function () {
      form.querySelectorAll("fieldset[data-types]").forEach(function (fs) {
        fs.hidden = fs.dataset.types.split(" ").indexOf(select.value) === -1;
      });
    };
    select.addEventListener("change", syncTypes);
    syncTypes();
  }
})();
