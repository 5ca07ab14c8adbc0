"""The e-archive package streams (issue 16): a stored media file is hashed and copied into the
ZIP in chunks from storage and the ZIP is written to a temporary file, so exporting an entry
with a 20 MB image holds a fraction of it in memory at once, never the file or the package;
the file arrives whole, with the checksum METS names. The download is streamed from the file."""

import hashlib

import pytest
from django.http import FileResponse

from records.services import record_register, records_export
from tests.factories import ChannelFactory
from tests.records.factories import registration_kwargs, stored_media
from tests.records.memory import BOUND, LARGE_IMAGE, member_sha256, peak_while

pytestmark = pytest.mark.django_db


@pytest.fixture
def large_image(registrar):
    record = record_register(**registration_kwargs(ChannelFactory(registered=True), registrar))
    return stored_media(record, LARGE_IMAGE)


def test_exporting_a_large_image_holds_a_fraction_of_it_in_memory(large_image, registrar):
    peak, (name, package) = peak_while(
        lambda: records_export(records=[large_image.record], actor=registrar)
    )
    assert peak < BOUND, f"{peak} bytes at the peak"
    with package:
        assert member_sha256(package, "-media-0.jpg") == hashlib.sha256(LARGE_IMAGE).hexdigest()
        package.seek(0)
        assert member_sha256(package, "rep1/METS.xml")  # and the METS beside it
    assert name.endswith(".zip")


def test_the_download_is_streamed_from_the_file(large_image, registrar, client):
    client.force_login(registrar)
    response = client.post(
        "/admin/records/record/",
        {"action": "export_package", "_selected_action": [large_image.record_id]},
    )
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="uuid-')
    assert int(response["Content-Length"]) > len(LARGE_IMAGE)
    response.close()
