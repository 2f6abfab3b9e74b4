"""Build hook: the wheel carries templates, migrations, compiled translations, the static build."""

# The checkout keeps templates/, translations/ and migrations/ at the top level (the design's
# layout); `exchange.resource_dir` finds them there, or under `exchange/` in an installed wheel.
# The .mo catalogs are not committed, so they are compiled here, from the .po files.

import importlib.util
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHARED_FOLDERS = ("templates", "translations", "migrations")


def compile_catalogs(folder: Path) -> None:
    """Write messages.mo next to every messages.po below folder."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with po_path.with_suffix(".mo").open("wb") as mo_file:
            write_mo(mo_file, catalog)


def build_static(package: Path) -> None:
    """Fingerprint and precompress exchange/static/ into exchange/static_build/ (make static)."""
    # Loaded by path: importing the package would import Flask, which the build need not have.
    spec = importlib.util.spec_from_file_location("static_build", HERE / "exchange/static_build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.build(package / "static", package / "static_build")


class BuildWithData(build_py):
    """build_py that also copies the top-level data folders into the package."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the checkout's folders in place
        package = Path(self.build_lib) / "exchange"
        for name in SHARED_FOLDERS:
            target = package / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(
                HERE / name,
                target,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.pot"),
            )
        compile_catalogs(package / "translations")
        build_static(package)


setup(cmdclass={"build_py": BuildWithData})
