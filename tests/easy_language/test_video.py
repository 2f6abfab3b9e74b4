"""The DGS video: an MP4 upload (checked by its bytes, with its own size limit) served with Range
support to this Kommune only, or an https link; deleting it asks first."""

import io

import pytest

from exchange.extensions import db
from exchange.municipalities.easy_language.models import EasyLanguagePage
from tests.conftest import csrf_token, login_as, make_user, post

ADMIN = "/k/delbrueck/admin/easy-language"
PAGE = "/k/delbrueck/leichte-sprache"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 8


@pytest.fixture
def folder(app, tmp_path):
    """Videos go to a folder of this test, with a small limit."""
    videos = tmp_path / "videos"
    app.config["EASY_LANGUAGE_VIDEO_FOLDER"] = str(videos)
    app.config["EASY_LANGUAGE_VIDEO_MAX_BYTES"] = 4096
    return videos


@pytest.fixture
def admin(delbrueck):
    user = make_user(delbrueck, email="admin@example.org", name="Heike Amt", role="admin")
    db.session.commit()
    return user


def upload(client, data: bytes, name="gebaerden.mp4", token=None):
    return client.post(
        ADMIN + "/video",
        data={
            "csrf_token": token or csrf_token(client),
            "video": (io.BytesIO(data), name, "video/mp4"),
        },
        content_type="multipart/form-data",
    )


def _row():
    db.session.expire_all()
    return db.session.scalar(db.select(EasyLanguagePage))


def _files(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_uploaded_mp4_is_shown_and_served_with_ranges(client, delbrueck, paderborn, admin, folder):
    login_as(client, admin)
    response = upload(client, MP4)
    assert response.status_code == 302
    name = _row().video_file
    assert _files(folder) == [name]
    assert (folder / name).read_bytes() == MP4

    html = client.get(PAGE).get_data(as_text=True)
    src = f"/k/delbrueck/leichte-sprache/video/{name}"
    assert f'src="{src}"' in html
    video_tag = html[html.index("<video") : html.index(">", html.index("<video"))]
    assert "controls" in video_tag and "autoplay" not in video_tag
    assert 'aria-describedby="dgs-description"' in video_tag
    assert 'id="dgs-description"' in html
    assert "<iframe" not in html

    whole = client.get(src)
    assert whole.status_code == 200
    assert whole.mimetype == "video/mp4"
    assert whole.headers["Content-Disposition"].startswith("inline")
    assert whole.headers["Accept-Ranges"] == "bytes"
    assert whole.data == MP4
    part = client.get(src, headers={"Range": "bytes=4-11"})
    assert part.status_code == 206
    assert part.data == b"ftypmp42"
    assert part.headers["Content-Range"] == f"bytes 4-11/{len(MP4)}"

    # Another Kommune's address, or a name that is not the current video: 404.
    assert client.get(f"/k/paderborn/leichte-sprache/video/{name}").status_code == 404
    assert client.get(PAGE + "/video/1-" + "0" * 32 + ".mp4").status_code == 404
    assert client.get(PAGE + "/video/..%2Fexchange.sqlite3").status_code == 404


def test_a_file_that_is_not_mp4_is_refused_whatever_its_name(client, delbrueck, admin, folder):
    login_as(client, admin)
    response = upload(client, b"<html>not a video</html>" * 10, name="film.mp4")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'href="#video"' in html
    assert _row() is None and _files(folder) == []


def test_a_video_over_the_limit_is_refused(client, delbrueck, admin, folder):
    login_as(client, admin)
    # Over the video limit but inside the request's room for the form: the file is refused.
    response = upload(client, MP4 + bytes(4096))
    assert response.status_code == 200
    assert 'id="error-summary"' in response.get_data(as_text=True)
    assert _row() is None and _files(folder) == []
    # Far over it: the request is refused before it is read, on the same page, nothing stored.
    response = upload(client, MP4 + bytes(200_000))
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert 'id="error-summary"' in html and 'href="#video"' in html
    assert _row() is None and _files(folder) == []


def test_only_the_kommunes_admins_get_the_larger_limit(client, delbrueck, paderborn, folder):
    app = client.application
    app.config["EASY_LANGUAGE_VIDEO_MAX_BYTES"] = 8 * 1024 * 1024
    too_big_for_others = MP4 + bytes(app.config["MAX_CONTENT_LENGTH"])
    # A guest and another Kommune's admin: the usual limit applies.
    assert upload(client, too_big_for_others).status_code == 413
    other = make_user(paderborn, email="pb@example.org", role="admin", postcode="33098")
    db.session.commit()
    login_as(client, other)
    assert upload(client, too_big_for_others).status_code == 413
    assert _row() is None and _files(folder) == []


def test_without_csrf_no_video_is_stored(client, delbrueck, admin, folder):
    login_as(client, admin)
    assert upload(client, MP4, token="forged").status_code == 400
    assert _row() is None and _files(folder) == []


def test_a_new_video_or_a_link_replaces_the_stored_file(client, delbrueck, admin, folder):
    login_as(client, admin)
    upload(client, MP4)
    first = _row().video_file
    upload(client, MP4 + b"x")
    second = _row().video_file
    assert second != first and _files(folder) == [second]

    assert post(client, ADMIN + "/link", {"url": "https://video.example/dgs"}).status_code == 302
    row = _row()
    assert (row.video_file, row.video_url) == ("", "https://video.example/dgs")
    assert _files(folder) == []
    assert client.get(f"{PAGE}/video/{second}").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["http://video.example/dgs", "javascript:alert(1)", "https://", "video.example", "", "ftp://x"],
)
def test_a_video_link_must_be_https(client, delbrueck, admin, url):
    login_as(client, admin)
    response = post(client, ADMIN + "/link", {"url": url})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.get_data(as_text=True)
    assert _row() is None


def test_deleting_the_video_asks_first(client, delbrueck, admin, folder):
    login_as(client, admin)
    upload(client, MP4)
    name = _row().video_file
    assert f'href="{ADMIN}/video/delete"' in client.get(ADMIN).get_data(as_text=True)
    confirm = client.get(ADMIN + "/video/delete")
    assert confirm.status_code == 200
    assert '<form method="post"' in confirm.get_data(as_text=True)
    assert _row().video_file == name  # asking deletes nothing

    assert post(client, ADMIN + "/video/delete").status_code == 302
    assert _row().video_file == "" and _files(folder) == []
    html = client.get(PAGE).get_data(as_text=True)
    assert "<video" not in html and "Gebärden-Sprache ansehen" not in html
