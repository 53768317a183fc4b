// Participant picker (participants/widgets.py): an ARIA combobox over the reference input.
// htmx fetches the options (participants:pick) into the listbox; this file moves through
// them with the arrow keys, chooses with Enter or a click, closes with Escape. No inline
// script anywhere (Content-Security-Policy). Without JavaScript the input is a plain
// reference field. Choosing fires `picker:chosen` on the input.
//
// Several participants (participants.widgets.ParticipantMultiPicker, `data-picker-multi` on
// the input): choosing adds a chip (its reference in a hidden input under the field's
// name, the echo, a remove button) and empties the input again; a participant already
// chosen is not added twice (its option is marked and skipped). Additions and removals
// are announced in the widget's aria-live status; focus stays in (returns to) the input.
// The server renders chips with a checked checkbox (without JavaScript, unchecking takes
// a participant out); here they become hidden inputs with a remove button.
(function () {
  "use strict";

  function parts(input) {
    var listbox = document.getElementById(input.getAttribute("aria-controls"));
    var echo = input.closest(".picker").querySelector(".picker-echo");
    return { listbox: listbox, echo: echo };
  }

  function isMulti(input) {
    return input.hasAttribute("data-picker-multi");
  }

  // --- several participants -------------------------------------------------------------

  function text(widget, key, label) {
    return (widget.getAttribute("data-text-" + key) || "").replace("%(label)s", label);
  }

  function say(widget, message) {
    var status = widget.querySelector(".picker-status");
    if (status) status.textContent = message;
  }

  function chips(widget) {
    return widget.querySelector(".picker-chips");
  }

  function chosenReferences(widget) {
    return Array.prototype.map.call(chips(widget).querySelectorAll(".picker-chip"), function (chip) {
      return chip.dataset.reference;
    });
  }

  // Server-rendered chips: the checkbox becomes a hidden input, the remove button appears.
  function enhance(root) {
    if (!root || !root.querySelectorAll) return;
    root.querySelectorAll(".picker-multi .picker-keep").forEach(function (box) {
      box.type = "hidden";
    });
    root.querySelectorAll(".picker-multi .picker-remove[hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function addChip(input, reference, label) {
    var widget = input.closest(".picker-multi");
    if (chosenReferences(widget).indexOf(reference) >= 0) {
      say(widget, text(widget, "duplicate", label));
      return false;
    }
    var chip = document.createElement("li");
    chip.className = "picker-chip";
    chip.dataset.reference = reference;
    var name = document.createElement("label");
    name.className = "picker-chip-label";
    var value = document.createElement("input");
    value.type = "hidden";
    value.className = "picker-keep";
    value.name = input.name;
    value.value = reference;
    name.appendChild(value);
    name.appendChild(document.createTextNode(" " + label));
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "picker-remove";
    remove.setAttribute("aria-label", text(widget, "remove", label));
    var cross = document.createElement("span");
    cross.setAttribute("aria-hidden", "true");
    cross.textContent = "×";
    remove.appendChild(cross);
    chip.appendChild(name);
    chip.appendChild(remove);
    chips(widget).appendChild(chip);
    say(widget, text(widget, "added", label));
    return true;
  }

  function removeChip(button) {
    var widget = button.closest(".picker-multi");
    var chip = button.closest(".picker-chip");
    var input = widget.querySelector("input[data-picker]");
    var label = chip.querySelector(".picker-chip-label").textContent.trim();
    chip.remove();
    say(widget, text(widget, "removed", label));
    input.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".picker-multi .picker-remove");
    if (button) removeChip(button);
  });

  function options(listbox) {
    return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function setActive(input, option) {
    var listbox = parts(input).listbox;
    listbox.querySelectorAll("[role=option]").forEach(function (o) {
      o.setAttribute("aria-selected", o === option ? "true" : "false");
      o.classList.toggle("active", o === option);
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open(input, show) {
    var listbox = parts(input).listbox;
    listbox.hidden = !show;
    input.setAttribute("aria-expanded", show ? "true" : "false");
    if (!show) setActive(input, null);
  }

  // `picker:chosen` (bubbling) tells the page which participant was chosen, once per
  // participant: when an option is chosen, or when a typed reference is left (the native
  // `change`). A form reacts to it, e.g. the deduction wizard reloads the chosen holder's
  // liabilities (hx-trigger="picker:chosen" on the picker's wrapper). Not `change` itself:
  // Chromium fires that again on leaving the field after a chosen option, which would
  // reload (and reset) the liability choice a second time.
  function announce(input) {
    var value = input.value.trim();
    if (input.dataset.pickerChosen === value) return;
    input.dataset.pickerChosen = value;
    input.dispatchEvent(new CustomEvent("picker:chosen", { bubbles: true }));
  }

  function choose(input, option) {
    if (isMulti(input)) {
      var added = addChip(input, option.dataset.reference, option.dataset.label);
      input.value = "";
      parts(input).listbox.innerHTML = ""; // the next search fills it again
      open(input, false);
      if (added) {
        input.dispatchEvent(
          new CustomEvent("picker:chosen", { bubbles: true, detail: { reference: option.dataset.reference } })
        );
      }
      return;
    }
    input.value = option.dataset.reference;
    parts(input).echo.textContent = option.dataset.label;
    open(input, false);
    announce(input);
  }

  function current(input) {
    var id = input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-picker]")) return;
    var listbox = parts(input).listbox;
    var list = options(listbox);
    var expanded = input.getAttribute("aria-expanded") === "true";
    var index = list.indexOf(current(input));
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!listbox.children.length) return;
      event.preventDefault();
      if (!expanded) open(input, true);
      if (!list.length) return;
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = index < 0 ? (step > 0 ? 0 : list.length - 1) : (index + step + list.length) % list.length;
      setActive(input, list[next]);
    } else if (event.key === "Enter" && expanded && index >= 0) {
      event.preventDefault(); // choose, do not submit yet
      choose(input, list[index]);
    } else if (event.key === "Escape" && expanded) {
      event.preventDefault();
      open(input, false);
    }
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-picker]") && !isMulti(input)) announce(input);
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-picker]")) {
      var echo = parts(input).echo;
      if (echo) echo.textContent = ""; // the echo belongs to the chosen reference only
    }
  });

  // htmx sends the typed text as `q` (the input's own name differs per form).
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (input.matches && input.matches("input[data-picker]")) {
      event.detail.parameters.q = input.value;
      delete event.detail.parameters[input.name];
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var listbox = event.detail.target;
    if (!listbox.matches || !listbox.matches("[role=listbox]")) return;
    var input = document.querySelector('input[aria-controls="' + listbox.id + '"]');
    if (!input) return;
    if (isMulti(input)) {
      // Participants already chosen stay listed, marked, but cannot be chosen again.
      var widget = input.closest(".picker-multi");
      var chosen = chosenReferences(widget);
      listbox.querySelectorAll(".picker-option").forEach(function (option) {
        if (chosen.indexOf(option.dataset.reference) < 0) return;
        option.setAttribute("aria-disabled", "true");
        var mark = document.createElement("span");
        mark.className = "picker-meta";
        mark.textContent = text(widget, "chosen", "");
        option.appendChild(mark);
      });
    }
    var first = listbox.querySelector("[role=option]");
    // Results of an older query, or none: stay closed.
    var fresh = first && first.dataset.query === input.value.trim().split(/\s+/).join(" ");
    open(input, Boolean(fresh) && document.activeElement === input);
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest(".picker-list [role=option]");
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    event.preventDefault(); // keep the focus in the input
    var input = document.querySelector('input[aria-controls="' + option.parentNode.id + '"]');
    if (input) choose(input, option);
  });

  enhance(document); // deferred: the page is parsed
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-picker]")) open(input, false);
  });
})();
