/* Django admin: fields its widgets leave without an accessible name get one, so screen
   readers and axe-core know what each is — fields in table cells (editable list columns,
   tabular inlines) by their column's header; date and time of a date-time field by the
   field's label; the autocomplete box by its select's label. The search icon of a
   two-list picker carries its hint as a title instead of a forbidden aria-label on a
   plain span. Fields that already have a name are left alone. */
(function () {
  "use strict";

  function columnName(cell) {
    var table = cell.closest("table");
    var row = table && table.tHead && table.tHead.rows[0];
    if (!row) return "";
    var index = 0;
    for (var c = cell.previousElementSibling; c; c = c.previousElementSibling) {
      index += c.colSpan || 1;
    }
    for (var i = 0, col = 0; i < row.cells.length; i++) {
      col += row.cells[i].colSpan || 1;
      if (col > index) return row.cells[i].textContent.replace(/\s+/g, " ").trim();
    }
    return "";
  }

  function name() {
    document.querySelectorAll("table td input, table td select, table td textarea").forEach(
      function (field) {
        if (field.type === "hidden" || field.getAttribute("aria-label")) return;
        if (field.labels && field.labels.length) return;
        var header = columnName(field.closest("td"));
        var row = field.closest("tr");
        var rowName = row && row.querySelector("th, td.original p");
        var label = header || field.title || field.name;
        if (rowName && rowName.textContent.trim()) {
          label += " – " + rowName.textContent.replace(/\s+/g, " ").trim();
        }
        field.setAttribute("aria-label", label);
      }
    );
  }

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").replace(/:$/, "").trim() : "";
  }

  function widgets() {
    document.querySelectorAll("p.datetime").forEach(function (box) {
      var row = box.closest(".form-row, .flex-container");
      var label = text(row && row.querySelector("label"));
      var parts = box.querySelectorAll("input[type=text]");
      var kinds = ["Datum", "Uhrzeit"];
      parts.forEach(function (input, i) {
        if (!input.getAttribute("aria-label") && !(input.labels && input.labels.length)) {
          input.setAttribute("aria-label", (label ? label + " – " : "") + (kinds[i] || ""));
        }
      });
    });
    document.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      if (box.getAttribute("aria-label")) return;
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.labels && select.labels[0];
      if (!label) return;
      box.setAttribute("aria-label", text(label));
      var shown = box.querySelector("[role=textbox]"); // names the box (aria-labelledby)
      if (shown && !shown.getAttribute("aria-label")) shown.setAttribute("aria-label", text(label));
    });
    document.querySelectorAll("span.help-tooltip[aria-label]").forEach(function (icon) {
      icon.setAttribute("title", icon.getAttribute("aria-label"));
      icon.removeAttribute("aria-label");
    });
  }

  function all() {
    name();
    widgets();
  }

  document.addEventListener("DOMContentLoaded", all);
  window.addEventListener("load", all); // after admin's own scripts built their widgets
  document.addEventListener("formset:added", all);
})();
