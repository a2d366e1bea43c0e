"""Accounts on the home pages: helpers nobody can act for yet, and a museum's colleagues."""

from django.db.models import Exists, OuterRef

from bangfu.museums.models import Museum

from .models import Role, User


def association(user) -> dict:
    return {"helpers_without_account": Museum.objects.helpers().exclude(
        Exists(User.objects.filter(museum=OuterRef("pk"), role=Role.MUSEUM_ADMIN, is_active=True))).count()}


def museum(user) -> dict:
    return {"colleagues": User.objects.of_museum(user.museum_id).filter(is_active=True).count()}
