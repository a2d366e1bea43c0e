"""The environment pages, by part: the overviews (`overview`), sites and their gateway tokens (`sites`), rooms,
sensors, chart data and manual entry (`rooms`), pest records (`pests`), the material limits table (`limits`) and
the monthly report (`report`)."""

from .limits import limits
from .overview import home, home_panel, watch
from .pests import pests
from .report import report
from .rooms import readings_add, room, room_chart, room_create, room_edit, sensor_create, sensor_edit
from .sites import site, site_create, site_edit, site_token

__all__ = ["home", "home_panel", "limits", "pests", "readings_add", "report", "room", "room_chart", "room_create",
           "room_edit", "sensor_create", "sensor_edit", "site", "site_create", "site_edit", "site_token", "watch"]
