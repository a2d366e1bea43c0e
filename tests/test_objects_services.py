"""The object registry's services: who may register and change objects, the checks, the audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.core.models import AuditEntry
from bangfu.objects.models import CollectionObject
from bangfu.objects.services import object_create, object_update

pytestmark = pytest.mark.django_db


def _create(world, **values):
    fields = {"name": "晋侯鸟尊", "registration_number": "SX-0001", "grade": "一级", "material": "铜",
              "category": "铜器", "condition": "good", "has_record": True} | values
    return object_create(museum=world.helper_museum, by=world.helper_staff, **fields)


def test_museum_staff_register_an_object_of_their_museum_with_an_audit_entry(world):
    obj = _create(world, insurance_value=Decimal("500000000"))
    assert obj.museum == world.helper_museum and obj.created_by == world.helper_staff
    assert obj.material_class == "metal_glass" and obj.is_first_grade
    assert AuditEntry.objects.filter(object_type="objects.collectionobject", object_id=str(obj.pk),
                                     action="登记藏品").exists()


def test_a_registration_number_used_twice_in_a_museum_is_named_on_its_field(world):
    _create(world)
    with pytest.raises(ValidationError) as refused:
        _create(world, name="另一件")
    assert "SX-0001" in refused.value.message_dict["registration_number"][0]


def test_two_museums_may_use_the_same_registration_number(world):
    _create(world)
    other = object_create(museum=world.helped_museum, by=world.helped_staff, name="铜戈",
                          registration_number="SX-0001", material="铜")
    assert other.museum == world.helped_museum


def test_the_association_may_not_register_objects_for_a_museum(world):
    with pytest.raises(PermissionDenied):
        object_create(museum=world.helper_museum, by=world.admin, name="x", registration_number="1")


def test_staff_may_not_register_objects_for_another_museum(world):
    with pytest.raises(PermissionDenied):
        object_create(museum=world.helper_museum, by=world.helped_staff, name="x", registration_number="1")


def test_bad_values_are_refused_with_chinese_messages_beside_their_fields(world):
    with pytest.raises(ValidationError) as refused:
        _create(world, name="", grade="特级", quantity=0, insurance_value=Decimal("1e12"), era="西周\x00")
    errors = refused.value.message_dict
    assert set(errors) >= {"name", "grade", "quantity", "insurance_value", "era"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in m) for msgs in errors.values() for m in msgs)
    assert not CollectionObject.objects.exists()


def test_an_update_records_what_changed(world):
    obj = _create(world, offered=False)
    object_update(obj=obj, by=world.helper_admin, offered=True, condition="under_treatment")
    obj.refresh_from_db()
    assert obj.offered and obj.condition == "under_treatment"
    entry = AuditEntry.objects.get(object_id=str(obj.pk), action="修改藏品")
    assert entry.changes["可供借展/巡展"] == [False, True]
    assert entry.changes["保存状态"] == ["good", "under_treatment"]


def test_an_update_without_changes_writes_no_audit_entry(world):
    obj = _create(world)
    object_update(obj=obj, by=world.helper_staff, name="晋侯鸟尊")
    assert not AuditEntry.objects.filter(object_id=str(obj.pk), action="修改藏品").exists()


def test_an_update_to_a_number_already_used_is_refused(world):
    _create(world)
    second = _create(world, registration_number="SX-0002", name="龙形觥")
    with pytest.raises(ValidationError) as refused:
        object_update(obj=second, by=world.helper_staff, registration_number="SX-0001")
    assert "registration_number" in refused.value.message_dict


@pytest.mark.parametrize("persona", ["helped_staff", "admin", "province_supervisor", "outsider"])
def test_only_the_museums_staff_may_change_its_objects(world, persona):
    obj = _create(world)
    with pytest.raises(PermissionDenied):
        object_update(obj=obj, by=getattr(world, persona), name="改名")
