"""Build step for static files: fingerprinted copies, a manifest, gzip and brotli variants.

Runs as `python -m exchange.static_build` (`make static`) and from setup.py while the wheel is
built, so it imports nothing but the standard library and WhiteNoise's compressor.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path

from whitenoise.compress import Compressor

MANIFEST = "manifest.json"
HASH_LENGTH = 12
# A fingerprinted name: "css/app.0123456789ab.css". What static_files marks immutable.
HASHED_NAME = re.compile(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.[A-Za-z0-9]+$")
CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")


def file_hash(data: bytes) -> str:
    """The fingerprint of a file's content."""
    return hashlib.sha256(data).hexdigest()[:HASH_LENGTH]


def hashed_name(name: str, data: bytes) -> str:
    """name with the content's fingerprint before its extension: a/b.css -> a/b.<hash>.css."""
    stem, dot, extension = name.rpartition(".")
    return f"{stem}.{file_hash(data)}.{extension}" if dot else f"{name}.{file_hash(data)}"


def rewrite_css_urls(name: str, css: str, manifest: dict[str, str]) -> str:
    """Point the relative url(...) references of the stylesheet `name` at fingerprinted names."""
    folder = posixpath.dirname(name)

    def replace(match: re.Match) -> str:
        url = match.group(2).strip()
        if url.startswith(("data:", "/", "#")) or "://" in url:
            return match.group(0)
        path, _, suffix = url.partition("?")
        target = posixpath.normpath(posixpath.join(folder, path))
        if target not in manifest:
            raise ValueError(f"{name} refers to {url}, which is not a static file")
        relative = posixpath.relpath(manifest[target], folder or ".")
        return f'url("{relative}")'

    return CSS_URL.sub(replace, css)


def build(source: Path, target: Path) -> dict[str, str]:
    """Write every file of source to target under its plain and its fingerprinted name.

    Stylesheets come last, so that their url(...) references (fonts) can name the fingerprinted
    files; then every compressible file gets .gz and .br siblings. Returns the manifest.
    """
    files = sorted(
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)
    )
    if target.exists():
        shutil.rmtree(target)
    manifest: dict[str, str] = {}
    compressor = Compressor(quiet=True)
    for name in sorted(files, key=lambda n: n.endswith(".css")):
        data = (source / name).read_bytes()
        if name.endswith(".css"):
            data = rewrite_css_urls(name, data.decode("utf-8"), manifest).encode("utf-8")
        manifest[name] = hashed_name(name, data)
        hashed, plain = target / manifest[name], target / name
        hashed.parent.mkdir(parents=True, exist_ok=True)
        hashed.write_bytes(data)
        shutil.copyfile(hashed, plain)
        if compressor.should_compress(name):
            # Compress once (brotli at its best is slow); the plain name gets the same variants.
            for written in compressor.compress(str(hashed)):
                shutil.copyfile(written, str(plain) + written[len(str(hashed)) :])
    (target / MANIFEST).write_text(
        json.dumps({"paths": manifest}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str]) -> None:
    """`python -m exchange.static_build [SOURCE TARGET]`; default: exchange/static, static_build."""
    package = Path(__file__).resolve().parent
    source, target = (
        (Path(argv[0]), Path(argv[1])) if argv else (package / "static", package / "static_build")
    )
    manifest = build(source, target)
    print(f"{len(manifest)} static files fingerprinted and compressed into {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
