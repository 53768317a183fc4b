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

  // Simulation (SIM-2): a link to a payment's collapsed card opens it (links in the
  // overview table, or an address ending in #payment-12). Delegated: htmx swaps the list.
  function openTarget(hash) {
    if (!hash || hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (link) { openTarget(link.getAttribute("href")); }
  });
  window.addEventListener("hashchange", function () { openTarget(window.location.hash); });
  openTarget(window.location.hash);

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
