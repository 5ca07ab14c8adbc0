// The admin's autocomplete (select2) as assistive technology needs it: its search box is named
// by the field's own label, and its list holds only list items (the "clear all" cross moves out
// of the list). Select2 redraws the list on every change, so this runs after each redraw.
(function () {
  "use strict";
  function repair(container) {
    const select = container.previousElementSibling;
    const label = select && select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    container.querySelectorAll(".select2-search__field").forEach(function (field) {
      if (label && !field.hasAttribute("aria-label")) field.setAttribute("aria-label", label.textContent.trim());
    });
    container.querySelectorAll(".select2-selection__rendered").forEach(function (list) {
      Array.from(list.children).forEach(function (child) {
        if (child.tagName !== "LI") list.parentElement.insertBefore(child, list);
      });
    });
  }
  function repairAll() { document.querySelectorAll(".select2-container").forEach(repair); }
  document.addEventListener("DOMContentLoaded", function () {
    repairAll();
    new MutationObserver(repairAll).observe(document.body, { childList: true, subtree: true });
  });
})();
