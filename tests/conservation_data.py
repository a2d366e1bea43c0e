"""Records the conservation tests share, built through the services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.conservation.services import request_create, service_create
from bangfu.objects.services import object_create

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png(name="照片.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="报告.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def xrf(world, **values):
    """The helper museum's XRF service (destructive sampling possible)."""
    fields = {"kind": "testing", "name": "金属文物成分分析", "methods": "XRF, 拉曼, X光探伤",
              "destructive_possible": True, "contact": "文保中心"} | values
    return service_create(museum=world.helper_museum, by=world.helper_admin, **fields)


def helped_object(world, number="AZ-T-0001", name="西周铜鼎", grade="三级"):
    return object_create(museum=world.helped_museum, by=world.helped_admin, name=name, registration_number=number,
                         grade=grade, material="铜")


def a_request(world, *, destructive=False, by=None, **values):
    service = values.pop("service", None) or xrf(world)
    fields = {"purpose": "判断合金配比与锈蚀产物", "method": "XRF", "objects_by_hand": "汉代铜镜\n战国铜剑",
              "sample_count": 2 if destructive else 0, "sample_description": "锈蚀粉末"} | values
    return request_create(service=service, museum=world.helped_museum, by=by or world.helped_staff,
                          destructive=destructive, **fields)
