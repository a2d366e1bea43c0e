/* The museum directory: the export link and the map follow the filters; the map library (1 MB) loads only
   when someone switches to the map. The map element names the scripts to load and the points address. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var mapEl = document.getElementById("directory-map"), mapCard = document.getElementById("map-card");
  var mapLibrary = null, map = null;

  function loadMapLibrary() {
    if (!mapLibrary) {
      mapLibrary = mapEl.dataset.scripts.split(" ").reduce(function (loaded, src) {
        return loaded.then(function () {
          return new Promise(function (resolve) {
            var s = document.createElement("script");
            s.src = src;
            s.addEventListener("load", resolve);
            document.head.appendChild(s);
          });
        });
      }, Promise.resolve());
    }
    return mapLibrary;
  }

  function query() { return new URLSearchParams(new FormData(form)).toString(); }

  function refresh() {
    var exp = document.getElementById("export-link");
    if (exp) { exp.href = exp.dataset.base + "?" + query(); }
    var showMap = document.getElementById("view-map").checked;
    mapCard.classList.toggle("d-none", !showMap);
    if (!showMap) { return; }
    loadMapLibrary().then(function () {
      var url = mapEl.dataset.pointsUrl + "?" + query();
      if (!map) { map = window.bfMuseumMap(mapEl, url); } else { map.reload(url); }
    });
  }

  form.addEventListener("htmx:afterRequest", refresh);
  document.getElementById("view-list").addEventListener("change", refresh);
  document.getElementById("view-map").addEventListener("change", refresh);
  refresh();
})();
