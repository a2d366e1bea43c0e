/* The post form: the sub-type select offers only the sub-types of the chosen area. Its options are grouped by
   area (<optgroup label="文物保护">, the area's name as the area select shows it); without JavaScript every group
   is listed and the service refuses a sub-type of another area. */
(function () {
  "use strict";
  document.querySelectorAll("select[data-area-select]").forEach(function (subtype) {
    var area = document.getElementById(subtype.dataset.areaSelect);
    if (!area) { return; }
    function sync() {
      var chosen = area.options[area.selectedIndex];
      var label = chosen && chosen.value ? chosen.text : "";
      Array.prototype.forEach.call(subtype.querySelectorAll("optgroup"), function (group) {
        var off = label !== "" && group.label !== label;
        group.hidden = off;
        Array.prototype.forEach.call(group.children, function (o) { o.hidden = off; o.disabled = off; });
      });
      var selected = subtype.options[subtype.selectedIndex];
      if (selected && selected.disabled) { subtype.value = ""; }
    }
    area.addEventListener("change", sync);
    sync();
  });
})();
