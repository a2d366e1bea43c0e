/* Needs and offers: typing a sentence ticks its box, so what is written is never dropped. */
(function () {
  "use strict";
  document.querySelectorAll("textarea[name^=need_text_], textarea[name^=offer_text_]").forEach(function (t) {
    t.addEventListener("input", function () {
      var box = document.getElementsByName(t.name.replace("_text", ""))[0];
      if (box && t.value.trim()) { box.checked = true; }
    });
  });
})();
