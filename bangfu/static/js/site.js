/* Loaded on every page. The Content-Security-Policy allows no inline script or event handler, so the page
   behaviours that would have been onclick="…" attributes live here, declared by data attributes:
     <button data-confirm="确定删除吗？">   asks before the button (or link) acts;
     <button data-print>                   prints the page;
     <input type=checkbox data-check-all="CSS selector">   ticks or clears every box the selector matches.
   And the one escape function every script uses before it puts a value into HTML (ECharts tooltips included). */
(function () {
  "use strict";
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" };

  /* `value` as text that is safe inside HTML elements and quoted attributes. */
  window.bfEscape = function (value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  };

  document.addEventListener("click", function (e) {
    var el = e.target.closest ? e.target.closest("[data-confirm], [data-print]") : null;
    if (!el) { return; }
    if (el.hasAttribute("data-print")) { window.print(); return; }
    if (!window.confirm(el.getAttribute("data-confirm"))) { e.preventDefault(); e.stopImmediatePropagation(); }
  }, true);

  document.addEventListener("change", function (e) {
    var all = e.target;
    if (!all.matches || !all.matches("input[type=checkbox][data-check-all]")) { return; }
    document.querySelectorAll(all.getAttribute("data-check-all")).forEach(function (box) { box.checked = all.checked; });
  });
})();
