"""`python -m build` (sdist, then the wheel from the sdist) ships everything the app needs."""

import re
import subprocess
import sys
import zipfile

from tests.deploy.test_production_recipe import copy_source


def test_the_wheel_built_from_the_sdist_is_complete(tmp_path):
    source = tmp_path / "src"
    copy_source(source)  # a clean copy: no compiled .mo files, no build/ leftovers
    subprocess.run(
        # --no-isolation: the locked setuptools and Babel of this venv, nothing fetched.
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path / "dist")],
        cwd=source,
        capture_output=True,
        check=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "exchange/templates/base.html",
        "exchange/templates/email/password_reset.txt",
        "exchange/static/css/app.css",
        "exchange/static/vendor/kern/kern.min.css",
        "exchange/static/vendor/kern/fonts/FiraSans-Regular-latin.woff2",
        "exchange/static/vendor/vazirmatn/vazirmatn-arabic-400-normal.woff2",
        # The static build of setup.py: manifest, fingerprinted names, precompressed variants.
        "exchange/static_build/manifest.json",
        "exchange/static_build/css/app.css.br",
        "exchange/static_build/css/app.css.gz",
        "exchange/migrations/env.py",
        "exchange/migrations/alembic.ini",
        "exchange/accounts/data/common-passwords.txt",
        "exchange/wsgi.py",
    ):
        assert expected in names, expected
    for language in ("de", "en", "fr", "ar", "fa"):
        assert f"exchange/translations/{language}/LC_MESSAGES/messages.mo" in names
    versions = {n for n in names if n.startswith("exchange/migrations/versions/")}
    assert len(versions) >= 5
    assert not any(n.startswith(("tests/", "instance/", "templates/", "assets/")) for n in names)
    assert any(re.fullmatch(r"exchange/static_build/css/app\.[0-9a-f]{12}\.css", n) for n in names)
