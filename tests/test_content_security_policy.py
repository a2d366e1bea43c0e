"""Every HTML page is sent with a Content-Security-Policy that lets only the site's own script files run, and no
page needs more: no inline <script>, no on…= handler, no javascript: link (the browser tests prove the rest)."""

import re

import pytest

import tests.test_access_matrix as access

pytestmark = pytest.mark.django_db

scene = access.scene  # the access matrix's world, with a photo, an expert profile, a token and each module's data

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=[^>]*>", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {d[0]: d[1:] for d in directives}


def assert_strict_policy(response) -> None:
    csp = policy(response)
    assert csp, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert set(csp["img-src"]) == {"'self'", "data:", "blob:"}


def assert_no_inline_script(html: str, where: str) -> None:
    assert INLINE_SCRIPT.findall(html) == [], f"inline <script> on {where}"
    assert INLINE_HANDLER.findall(html) == [], f"inline event handler on {where}"
    assert SCRIPT_URL.findall(html) == [], f"javascript: URL on {where}"


def test_public_pages_carry_a_policy_without_inline_or_eval_scripts(client, world):
    for path in ("/", "/museums/", f"/museums/{world.helped_museum.pk}/", "/experts/", "/login/", "/no-such-page/",
                 "/verify/", "/verify/ABCDEFGHJKLM/"):
        response = client.get(path)
        assert response["Content-Type"].startswith("text/html")
        assert_strict_policy(response)
        script_src = policy(response)["script-src"]
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_htmx_may_not_evaluate_code_from_attributes(client, world):
    html = client.get("/").content.decode()
    assert """<meta name="htmx-config" content='{"allowEval": false}'>""" in html


@pytest.mark.parametrize("name", sorted(name for name in access.MATRIX if name not in access.POST_ONLY))
def test_no_page_needs_an_inline_script(name, scene, login):
    """Rendered as the association (who sees nearly every page) and as the outsider (who sees error pages)."""
    build = access.MATRIX[name][0]
    for user in (scene.admin, scene.outsider):
        response = login(user).get(build(scene))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        assert_strict_policy(response)
        assert_no_inline_script(response.content.decode(), f"{name} as {user.username}")


def test_the_api_docs_load_only_their_own_script_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert_strict_policy(response)
    html = response.content.decode()
    assert_no_inline_script(html, "/api/docs")
    assert re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html) == [
        "/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js",
    ]


def test_uploaded_files_keep_their_own_stricter_policy(client, world, settings, tmp_path):
    from django.core.files.base import ContentFile

    from bangfu.museums.models import MuseumPhoto

    settings.MEDIA_ROOT = tmp_path
    photo = MuseumPhoto.objects.create(museum=world.helped_museum, image=ContentFile(b"x", name="p.png"))
    response = client.get(photo.image.url)
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
