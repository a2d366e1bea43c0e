import pytest
from django.conf import settings

from .factories import build_world, ensure_divisions


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """MD5 in tests only: Argon2 is deliberately slow (the production setting is tested separately)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _static_files_from_the_source_folders():
    """Tests run with DEBUG off, like production, but without running collectstatic first: pages name static files
    by the plain storage instead of the manifest (tests/test_registry_data.py checks that collectstatic works)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True, scope="session")
def _progress_in_memory():
    """Tasks report their progress into this process's memory (the settings use files or Redis, for the worker
    and the web server to share), so that no test sees another run's progress."""
    settings.CACHES = {**settings.CACHES, "progress": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                                       "LOCATION": "progress"}}


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(settings, tmp_path):
    """Every test writes its uploads (photos, evidence, import files) into its own folder, never into media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the divisions once; transactions roll back around each test, so they stay."""
    with django_db_blocker.unblock():
        ensure_divisions()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """login(user) signs the test client in as `user` and returns the client."""

    def _login(user):
        client.force_login(user, backend="bangfu.accounts.backends.AccountBackend")
        return client

    return _login
