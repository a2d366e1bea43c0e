/* The pairings list: the map (pairings.js) shows the pairings the filters select and follows every change. */
(function () {
  "use strict";
  var form = document.getElementById("filters"), el = document.getElementById("pairings-map");
  function linesUrl() { return el.dataset.linesUrl + "?" + new URLSearchParams(new FormData(form)).toString(); }
  var map = window.bfPairingMap(el, linesUrl(), { pairingUrl: el.dataset.pairingUrl });
  form.addEventListener("htmx:afterRequest", function () { map.reload(linesUrl()); });
})();
