/* The request form: choosing another lender lists that museum's offered objects at once (the form's own
   "按出借方刷新藏品" button, which keeps what was typed). */
(function () {
  "use strict";
  var lender = document.getElementById("id_lender");
  var refresh = document.querySelector("[data-testid=refresh-objects]");
  if (lender && refresh) {
    lender.addEventListener("change", function () { refresh.click(); });
  }
}());
