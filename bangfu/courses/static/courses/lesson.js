/* A video lesson played to its end marks itself done: the page's "mark done" form is submitted. */
(function () {
  "use strict";
  document.querySelectorAll("video[data-done-form]").forEach(function (video) {
    var form = document.getElementById(video.getAttribute("data-done-form"));
    if (!form) { return; }
    video.addEventListener("ended", function () {
      if (!form.dataset.sent) { form.dataset.sent = "1"; form.submit(); }
    });
  });
})();
