from django.conf import settings

from .modules import AREA_MODULES, PROGRAMME_MODULES


def site(request):
    return {
        # Not "site_name": Django's auth views put the host name under that key.
        "platform_name": "山西省博物馆帮扶信息平台",
        "programme_modules": PROGRAMME_MODULES,
        "area_modules": AREA_MODULES,
        "demo_mode": settings.DEMO_MODE,
        "lockout_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
