/* Form fields shown only for some values of a select in the same form.
   A field's wrapper says which: <div data-show-for="role:museum_admin,museum_staff,expert">. The server renders it
   hidden when the current value does not use it; this shows or hides it as the select changes. */
(function () {
  "use strict";
  document.querySelectorAll("[data-show-for]").forEach(function (wrapper) {
    var spec = wrapper.getAttribute("data-show-for").split(":");
    var form = wrapper.closest("form");
    var select = form && form.elements.namedItem(spec[0]);
    if (!select || spec.length !== 2) { return; }
    var values = spec[1].split(",");
    var sync = function () { wrapper.hidden = values.indexOf(select.value) < 0; };
    select.addEventListener("change", sync);
    sync();  /* the browser may have restored another value (back button) */
  });
})();
