/* The home pages' statistics: museums by grade and by city (charts.js) and the map of museums (maps.js). */
(function () {
  "use strict";
  var stats = JSON.parse(document.getElementById("stats-data").textContent);
  var view = JSON.parse(document.getElementById("map-view").textContent) || {};
  var map = document.getElementById("home-map");
  window.bfGradeChart(document.getElementById("grade-chart"), stats.grades);
  window.bfCityChart(document.getElementById("city-chart"), stats.cities);
  window.bfMuseumMap(map, map.dataset.pointsUrl, view);
})();
