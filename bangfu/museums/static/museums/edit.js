/* Editing a museum: its position on the map. Where the user may set it (data-editable on the map), a click on
   the map fills the latitude and longitude fields; typing them marks the position as changed too. */
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("map-data").textContent);
  var mapEl = document.getElementById("edit-map");
  var lat = document.getElementById("id_pos-lat"), lng = document.getElementById("id_pos-lng");
  var changed = document.getElementById("pos-changed");
  [lat, lng].forEach(function (el) { if (el) { el.addEventListener("input", function () { changed.value = "1"; }); } });
  window.bfPositionMap(mapEl, d.point, {
    highlight: d.highlight, editable: mapEl.hasAttribute("data-editable"),
    onPick: function (x, y) { lng.value = x.toFixed(6); lat.value = y.toFixed(6); changed.value = "1"; }
  });
})();
