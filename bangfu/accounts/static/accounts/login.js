/* Demo mode: a demo account's button fills in its user name and the demo password. */
(function () {
  "use strict";
  document.querySelectorAll(".demo-fill").forEach(function (b) {
    b.addEventListener("click", function () {
      document.getElementById("id_username").value = b.dataset.username;
      document.getElementById("id_password").value = b.dataset.password;
    });
  });
})();
