"""The JSON API (django-ninja): OpenAPI docs at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="山西省博物馆帮扶信息平台 API", version="1.0", urls_namespace="api-v1")
