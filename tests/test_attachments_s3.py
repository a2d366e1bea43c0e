"""Attachments in S3-compatible object storage: the settings built from FILE_STORAGE=s3 and S3_* (read from
bangfu/settings.py itself), an upload through the service into a bucket of a local S3 server (moto's server mode,
started here on a free port of 127.0.0.1: no network), read back through the one attachment view after the access
check, 404 for an outsider, and the object deleted with its attachment."""

import datetime
import runpy
import socket
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from bangfu.agreements.services import evidence_add, evidence_remove

from .factories import make_agreement

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "bangfu" / "settings.py"
BUCKET = "bangfu-test"
KEYS = {"S3_ACCESS_KEY_ID": "test-key", "S3_SECRET_ACCESS_KEY": "test-secret", "S3_REGION": "us-east-1"}
PDF = b"%PDF-1.4 stored in a bucket\n%%EOF"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _settings_with(monkeypatch, **env) -> dict:
    """bangfu/settings.py run again with these environment variables (the running settings stay as they are)."""
    for name in ("FILE_STORAGE", "S3_BUCKET", "S3_ENDPOINT_URL", *KEYS):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storages(s3_server, monkeypatch):
    """STORAGES as the settings build them for FILE_STORAGE=s3 against the local server, with an empty bucket."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the local server is never reached through a proxy
    built = _settings_with(monkeypatch, FILE_STORAGE="s3", S3_BUCKET=BUCKET, S3_ENDPOINT_URL=s3_server, **KEYS)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1",
                          aws_access_key_id="test-key", aws_secret_access_key="test-secret")  # noqa: S106
    client.create_bucket(Bucket=BUCKET)
    yield {**built["STORAGES"], "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _objects(endpoint: str) -> list[str]:
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test-key", aws_secret_access_key="test-secret")  # noqa: S106
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def test_file_storage_s3_configures_django_storages_from_the_environment(monkeypatch):
    built = _settings_with(monkeypatch, FILE_STORAGE="s3", S3_BUCKET="files", S3_ENDPOINT_URL="http://minio:9000",
                           **KEYS)
    default = built["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "files", "endpoint_url": "http://minio:9000", "access_key": "test-key",
        "secret_key": "test-secret", "region_name": "us-east-1", "addressing_style": "path", "default_acl": "private",
        "file_overwrite": False}
    assert _settings_with(monkeypatch)["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}
    with pytest.raises(ImproperlyConfigured, match="S3_BUCKET"):
        _settings_with(monkeypatch, FILE_STORAGE="s3")


def test_an_attachment_goes_to_the_bucket_and_is_served_after_the_access_check(
        world, login, s3_server, s3_storages, settings, django_capture_on_commit_callbacks):
    agreement = make_agreement(world, tasks=[{"title": "讲解员培训",
                                              "due_date": timezone.localdate() + datetime.timedelta(days=30)}])
    task = agreement.tasks.get()
    with override_settings(STORAGES=s3_storages):
        evidence = evidence_add(task=task, by=world.helper_staff, file=SimpleUploadedFile("总结.pdf", PDF))
        assert _objects(s3_server) == [evidence.file.name] and evidence.file.name.startswith("attachments/")
        assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))  # nothing on the local disk

        url = reverse("attachment", args=[evidence.pk])
        response = login(world.helped_staff).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF
        assert login(world.outsider).get(url).status_code == 404

        with django_capture_on_commit_callbacks(execute=True):
            evidence_remove(evidence=evidence, by=world.helper_staff)
        assert _objects(s3_server) == []
        assert login(world.helped_staff).get(url).status_code == 404
