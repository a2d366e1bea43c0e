"""Signing in: Django's model backend, refusing the platform's own account (`accounts.system_user`) whatever
its flags say — it is the actor of automated writes, never a person's session."""

from django.contrib.auth.backends import ModelBackend


class AccountBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return not getattr(user, "is_system", False) and super().user_can_authenticate(user)
