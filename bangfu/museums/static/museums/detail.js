/* A museum's page: its position on the map of Shanxi. */
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("map-data").textContent);
  window.bfPositionMap(document.getElementById("museum-map"), d.point, { highlight: d.highlight });
})();
