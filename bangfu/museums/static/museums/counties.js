/* A county select with data-city-select="<id of the city select>" offers only the counties of the chosen city
   (each county option carries data-city); a county of another city is cleared. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-city-select]").forEach(function (county) {
    var city = document.getElementById(county.dataset.citySelect);
    if (!city) { return; }
    function sync() {
      Array.prototype.forEach.call(county.options, function (o) {
        if (o.value) { o.hidden = city.value !== "" && o.dataset.city !== city.value; }
      });
      var chosen = county.options[county.selectedIndex];
      if (chosen && chosen.hidden) { county.value = ""; }
    }
    city.addEventListener("change", sync);
    sync();
  });
})();
