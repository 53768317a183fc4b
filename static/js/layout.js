/* Tables scroll inside their card (.table-scroll; in admin, an inline group). A wrapper
   that actually scrolls becomes a keyboard stop and a named region, so it can be scrolled
   without a mouse; one that fits gets neither (no useless tab stops). Re-checked on
   resize and after htmx swaps. */
(function () {
  "use strict";

  function label(wrapper) {
    var caption = wrapper.querySelector("caption, h2");
    if (caption) return caption.textContent.trim();
    var node = wrapper.previousElementSibling;
    while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
    if (!node) {
      var card = wrapper.closest("section, .card");
      node = card && card.querySelector("h1, h2, h3");
    }
    return node ? node.textContent.trim() : document.title;
  }

  function update() {
    document.querySelectorAll(".table-scroll, .inline-group").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        if (!wrapper.hasAttribute("aria-label")) wrapper.setAttribute("aria-label", label(wrapper));
      } else {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  function later() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(update);
  }

  document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", later);
  document.addEventListener("htmx:afterSettle", later);
  document.addEventListener("toggle", later, true);
})();
