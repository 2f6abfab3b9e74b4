"""Where the app keeps its files: a configurable instance folder, and an upload folder in it."""

import json
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]

PROBE = """
import json
from exchange import create_app
app = create_app("development")
print(json.dumps({"instance": app.instance_path, "uploads": app.config["UPLOAD_FOLDER"],
                  "database": app.config["SQLALCHEMY_DATABASE_URI"]}))
"""


def paths(**env) -> dict:
    """The paths a freshly started app uses with this environment (settings are read at import)."""
    base = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**base, **env},
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_instance_path_comes_from_the_environment(tmp_path):
    found = paths(EXCHANGE_INSTANCE_PATH=str(tmp_path / "var"))
    assert found == {
        "instance": str(tmp_path / "var"),
        "uploads": str(tmp_path / "var" / "uploads"),
        "database": f"sqlite:///{tmp_path / 'var' / 'exchange.sqlite3'}",
    }


def test_a_checkout_keeps_its_instance_folder_and_uploads_can_live_elsewhere(tmp_path):
    found = paths(UPLOAD_FOLDER=str(tmp_path / "shared"))
    assert found["instance"] == str(CHECKOUT / "instance")
    assert found["uploads"] == str(tmp_path / "shared")
