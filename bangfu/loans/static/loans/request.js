/* The request form: choosing another lender lists that museum's offered objects at once (the form's own
   "按出借方刷新藏品" button, which keeps what was typed). The refresh is a GET of the same form: its CSRF token is
   left out so that it never lands in the address bar, the history or a server's log. */
(function () {
  "use strict";
  var lender = document.getElementById("id_lender");
  var refresh = document.querySelector("[data-testid=refresh-objects]");
  if (!lender || !refresh) { return; }
  var token = refresh.form && refresh.form.querySelector("input[name=csrfmiddlewaretoken]");
  refresh.addEventListener("click", function () { if (token) { token.disabled = true; } });
  // Back to the page from the history: the form posts again, with its token.
  window.addEventListener("pageshow", function () { if (token) { token.disabled = false; } });
  lender.addEventListener("change", function () { refresh.click(); });
}());
