/* The new token, shown once: "复制" copies it to the clipboard. */
(function () {
  "use strict";
  var button = document.getElementById("copy-token");
  if (!button) { return; }
  button.addEventListener("click", function () {
    var input = document.getElementById("new-token");
    var label = button.querySelector("span");
    var done = function () { label.textContent = "已复制"; };
    input.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
