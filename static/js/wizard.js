// "Neuer Abzug" wizard. No inline script anywhere (Content-Security-Policy).
(function () {
  "use strict";

  var form = document.querySelector("main form[method=post]");
  if (!form) return;

  // Show only the fields of the chosen radio option (data-show-when="name=value") and
  // disable their inputs while hidden, so they are not sent. Without JavaScript every
  // field stays visible and the server decides.
  var parts = form.querySelectorAll("[data-show-when]");
  function sync() {
    parts.forEach(function (part) {
      var rule = part.dataset.showWhen.split("=");
      var checked = form.querySelector('input[type=radio][name="' + rule[0] + '"]:checked');
      var show = checked !== null && checked.value === rule[1];
      part.hidden = !show;
      part.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !show;
      });
    });
  }
  if (parts.length) {
    form.addEventListener("change", function (event) {
      if (event.target.type === "radio") sync();
    });
    sync();
  }

  // Priority: move the new deduction in the case's order as the wanted priority changes.
  var order = form.querySelector("ol.priority-order");
  var priority = form.querySelector("#id_priority");
  var automatic = form.querySelector("#id_automatic_priority");
  var fresh = order && order.querySelector("li.new");
  if (fresh && priority) {
    var place = function () {
      var others = Array.prototype.filter.call(order.children, function (li) {
        return li !== fresh;
      });
      var wanted = parseInt(priority.value, 10);
      if (!(wanted >= 1)) wanted = parseInt(priority.defaultValue, 10) || others.length + 1;
      if (automatic && automatic.checked) wanted = others.length + 1;
      order.insertBefore(fresh, others[Math.min(wanted, others.length + 1) - 1] || null);
    };
    priority.addEventListener("input", place);
    if (automatic) automatic.addEventListener("change", place);
  }
})();
