"""Media as the apps fetch it: HEAD, byte ranges (206), 416 past the end, a malformed Range
ignored (200), Content-Length equal to the enclosure length, CORS, immutable caching."""

import pytest

from tests.podcasts import fixtures
from tests.podcasts.factories import EpisodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def episode():
    return EpisodeFactory.create()


@pytest.fixture
def url(episode):
    return f"/poddar/media/{episode.audio.name}"


def body(response):
    return b"".join(response.streaming_content)


def test_whole_file(client, episode, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == episode.audio_size
    assert body(response) == fixtures.mp3_bytes()
    assert "immutable" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_head_has_the_length_and_no_body(client, episode, url):
    response = client.head(url)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == episode.audio_size
    assert response.content == b""


def test_apple_first_asks_for_two_bytes(client, episode, url):
    response = client.get(url, HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{episode.audio_size}"
    assert response["Content-Length"] == "2"
    assert body(response) == b"\xff\xfb"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=100-199", 100, 199), ("bytes=1000-", 1000, None), ("bytes=-10", None, None)],
)
def test_ranges(client, episode, url, header, first, last):
    size = episode.audio_size
    data = fixtures.mp3_bytes()
    first = size - 10 if first is None else first
    last = size - 1 if last is None else last
    response = client.get(url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert body(response) == data[first : last + 1]


def test_range_past_the_end_is_416(client, episode, url):
    response = client.get(url, HTTP_RANGE=f"bytes={episode.audio_size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{episode.audio_size}"


def test_range_end_past_the_end_is_cut_to_the_file(client, episode, url):
    response = client.get(url, HTTP_RANGE=f"bytes=10-{episode.audio_size + 500}")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-{episode.audio_size - 1}/{episode.audio_size}"


@pytest.mark.parametrize(
    "header", ["bytes=abc", "bytes=5-2", "items=0-1", "bytes=0-1,5-9", "bytes=-"]
)
def test_malformed_range_is_ignored(client, episode, url, header):
    response = client.get(url, HTTP_RANGE=header)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == episode.audio_size


def test_head_with_range(client, episode, url):
    response = client.head(url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Length"] == "100"


@pytest.mark.parametrize(
    "name", ["../config/settings/base.py", "other/file.mp3", "podcasts/nothing-here.mp3"]
)
def test_only_stored_podcast_media(client, db, name):
    assert client.get(f"/poddar/media/{name}").status_code == 404


def test_post_is_refused(client, url):
    assert client.post(url).status_code == 405
