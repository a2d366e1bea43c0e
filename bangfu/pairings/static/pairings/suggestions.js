/* Suggested pairings: the map of the proposal (pairings.js), and the boxes that choose which suggestions to accept. */
(function () {
  "use strict";
  var el = document.getElementById("suggestions-map");
  window.bfPairingMap(el, JSON.parse(document.getElementById("suggestions-data").textContent),
                      { pairingUrl: el.dataset.pairingUrl });
  var all = document.getElementById("accept-all");
  if (!all) { return; }
  var boxes = document.querySelectorAll("input.accept"), button = document.getElementById("accept-button");
  function update() {
    var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    document.getElementById("accept-count").textContent = n;
    button.disabled = n === 0;
    all.checked = n === boxes.length; all.indeterminate = n > 0 && n < boxes.length;
  }
  all.addEventListener("change", function () { boxes.forEach(function (b) { b.checked = all.checked; }); update(); });
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
