"""Photos in an S3-compatible bucket (FURIMA_MEDIA_STORAGE=s3): the same services write
through django-storages, every object carries the year-long Cache-Control, the API hands
out the bucket's (or CDN's) URLs, and a refused upload leaves nothing in the bucket. The
bucket is moto's in-process S3."""

import boto3
import pytest
from moto import mock_aws

from furima import settings as furima_settings
from furima.errors import FurimaError
from furima.market.photos import listing_create_with_photos
from tests import images
from tests.api.test_api import Api
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("clock")
BUCKET = "furima-photos"


@pytest.fixture
def bucket(settings, monkeypatch):
    monkeypatch.setenv("FURIMA_S3_BUCKET", BUCKET)
    monkeypatch.setenv("FURIMA_S3_REGION", "us-east-1")
    monkeypatch.setenv("FURIMA_S3_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("FURIMA_S3_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": furima_settings.media_storage("s3")}
        yield s3


def keys(s3) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def test_photos_are_stored_in_the_bucket_with_cache_headers(db, bucket):
    seller = make_user()
    listing = listing_create_with_photos(
        seller=seller, title="ランタン", price=3300, photos=[images.jpeg_on_its_side()]
    )
    photo = listing.photos.get()
    assert keys(bucket) == sorted([photo.image.name, photo.thumbnail.name])
    head = bucket.head_object(Bucket=BUCKET, Key=photo.image.name)
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    assert head["ContentType"] == "image/jpeg"
    [out] = Api().get(f"/listings/{listing.pk}").json()["photos"]
    assert out["url"] == f"https://{BUCKET}.s3.amazonaws.com/{photo.image.name}"


def test_a_refused_upload_leaves_nothing_in_the_bucket(db, bucket):
    with pytest.raises(FurimaError):
        listing_create_with_photos(
            seller=make_user(),
            title="ランタン",
            price=3300,
            photos=[images.png(), images.text_named_jpg()],
        )
    assert keys(bucket) == []


def test_an_unknown_storage_kind_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        furima_settings.media_storage("ftp")
