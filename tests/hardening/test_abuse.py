"""Abuse: bombs and disguised files are refused and store nothing.

The rest of the abuse suite lives beside the feature it attacks and carries the
``abuse`` mark (brute-force lockout, throttles, refused imports, formula
injection, webhook SSRF, ``check --deploy``); ``make hardening`` runs them all.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plaudit.imports.models import ImportJob
from tests.factories import RewardFactory

pytestmark = [pytest.mark.abuse, pytest.mark.django_db]


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header claims ``width`` x ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    first_row = zlib.compress(b"\x00" * (width + 1))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", first_row)
        + chunk(b"IEND", b"")
    )


def zip_bomb() -> bytes:
    """20 MB of zeros that compress to a few kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("roster.csv", b"0" * 20_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "size",
    [(15_000, 15_000), (7_000, 7_000)],
    ids=["beyond-pillows-bomb-limit", "beyond-plaudits-pixel-limit"],
)
def test_an_image_that_decompresses_to_a_bomb_is_refused(client_for, hr_admin, size):
    reward = RewardFactory()
    bomb = SimpleUploadedFile("small.png", png_claiming(*size), content_type="image/png")

    response = client_for(hr_admin).post(
        f"/api/v1/rewards/{reward.pk}/image/", {"image": bomb}, format="multipart"
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_image"
    reward.refresh_from_db()
    assert not reward.image


def test_a_zip_bomb_posing_as_a_reward_image_is_refused(client_for, hr_admin):
    reward = RewardFactory()
    disguised = SimpleUploadedFile("photo.png", zip_bomb(), content_type="image/png")

    response = client_for(hr_admin).post(
        f"/api/v1/rewards/{reward.pk}/image/", {"image": disguised}, format="multipart"
    )

    assert response.status_code == 400
    reward.refresh_from_db()
    assert not reward.image


def test_a_zip_bomb_posing_as_a_roster_is_refused_before_any_job_starts(client_for, hr_admin):
    disguised = SimpleUploadedFile("roster.csv", zip_bomb(), content_type="text/csv")

    response = client_for(hr_admin).post(
        "/api/v1/imports/", {"file": disguised, "kind": "employees"}, format="multipart"
    )

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert not ImportJob.objects.exists()
