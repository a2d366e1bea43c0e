/* Editing an agreement: "再加一行" adds an empty task row from the formset's template. */
(function () {
  "use strict";
  var total = document.getElementById("id_task-TOTAL_FORMS");
  document.getElementById("add-task-row").addEventListener("click", function () {
    // The template holds the server-rendered (escaped) empty form; only its __prefix__ is replaced.
    var html = document.getElementById("task-row-template").innerHTML.replace(/__prefix__/g, total.value);
    document.getElementById("task-rows").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
})();
