"""The README stands alone in a clone: what it points to is in the repository, it names every setting and every
make target it mentions exists, and no user-facing text names internal issue numbers."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = (ROOT / "bangfu" / "settings.py").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
ISSUE_NUMBER = re.compile(r"\bissues?\s*#?\d", re.IGNORECASE)


def setting_names() -> set[str]:
    return set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z0-9_]+)"', SETTINGS))


def test_every_environment_variable_is_in_the_readme_and_the_example_file():
    names = setting_names()
    assert {"DEBUG", "SECRET_KEY", "PORT", "SITE_URL", "DEMO_MODE", "DATABASE_URL", "S3_BUCKET"} <= names  # digits too
    assert not [n for n in names if f"`{n}`" not in README]
    assert not [n for n in names if not re.search(rf"^#? ?{n}=", ENV_EXAMPLE, re.MULTILINE)]


def test_what_the_readme_points_to_lives_in_the_repository():
    assert "../shared" not in README
    for link in re.findall(r"\]\(([^)#]+)\)", README):
        assert (ROOT / link).exists(), link
    assert (ROOT / "docs" / "design.md").exists() and "docs/design.md" in README
    for folder in ("bangfu/places/data", "bangfu/museums/data"):  # the bundled data keeps its attribution
        attribution = " ".join((ROOT / folder / "README.md").read_text(encoding="utf-8").split())
        assert folder in README and re.search(r"licence|public government information", attribution, re.IGNORECASE)


def test_every_make_target_the_readme_names_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.MULTILINE))
    named = set(re.findall(r"`make (?:-s )?([a-z][a-z-]*)", README))
    assert {"run", "test", "dev"} <= named and named <= targets


def test_the_readme_is_chinese_first():
    opening = README[:1500]
    assert len(re.findall(r"[\u4e00-\u9fff]", opening)) > len(re.findall(r"[A-Za-z]+", opening))
    headings = re.findall(r"^## (.+)$", README, re.MULTILINE)
    assert headings[-1] == "English summary" and "设计决策" in headings and "多台机器部署" in headings


def test_no_user_facing_text_names_an_internal_issue_number():
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")), *sorted((ROOT / "bangfu").rglob("*.html"))]
    assert not [str(p.relative_to(ROOT)) for p in texts if ISSUE_NUMBER.search(p.read_text(encoding="utf-8"))]
