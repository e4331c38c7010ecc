"""The admin's WordPress import page, and --fetch-media through the safe fetcher."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import WxrUpload
from archive.report import ImportReport
from archive.wxr_import import import_wxr
from posts.models import Media, Post
from tests.linkbacks.http_server import LocalHTTPServer, Reply, public_policy

pytestmark = pytest.mark.django_db

SMALL_BLOG = Path(__file__).parent / "wxr" / "small-blog.xml"
ADD_URL = reverse("admin:archive_wxrupload_add")


@pytest.fixture(autouse=True)
def _private_uploads(settings, tmp_path):
    settings.ARCHIVE_WXR_UPLOAD_DIR = tmp_path / "uploads"


def upload(client, content: bytes, name="export.xml", **data):
    file = SimpleUploadedFile(name, content, content_type="text/xml")
    return client.post(ADD_URL, {"file": file, **data}, follow=True)


def test_staff_upload_an_export_and_see_the_report(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, SMALL_BLOG.read_bytes(), name="garden.xml")
    record = WxrUpload.objects.get()
    assert record.status == WxrUpload.Status.DONE, record.error
    assert record.report["counts"]["posts"]["created"] == 6
    assert Post.objects.count() == 8
    assert response.status_code == 200
    page = admin_client.get(reverse("admin:archive_wxrupload_change", args=[record.pk])).text
    assert "garden.xml" in page
    assert '<progress max="100" value="100">' in page
    assert "<th>posts</th><td>6</td><td>0</td><td>0</td><td>1</td>" in page
    assert "dc:creator &#x27;cook&#x27; is not a declared author: added" in page
    assert 'http-equiv="refresh"' not in page


def test_the_uploaded_file_is_kept_out_of_the_public_media_folder(admin_client, settings):
    upload(admin_client, SMALL_BLOG.read_bytes())  # queued: the import has not run
    stored = Path(WxrUpload.objects.get().file.path)
    assert stored.is_file() and stored.is_relative_to(settings.ARCHIVE_WXR_UPLOAD_DIR)
    assert not stored.is_relative_to(settings.MEDIA_ROOT)


def test_an_imported_file_is_deleted_and_its_report_kept(admin_client, settings,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, SMALL_BLOG.read_bytes(), name="garden.xml")
    record = WxrUpload.objects.get()
    assert record.status == WxrUpload.Status.DONE and not record.file
    assert not [path for path in settings.ARCHIVE_WXR_UPLOAD_DIR.rglob("*") if path.is_file()]
    page = admin_client.get(reverse("admin:archive_wxrupload_change", args=[record.pk])).text
    assert "garden.xml" in page and "<th>posts</th><td>6</td>" in page


def test_a_failed_file_is_kept_until_its_import_is_deleted(admin_client,
                                                           django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, b"<rss><channel><title>Beans</title></channel></rss>")
    record = WxrUpload.objects.get()
    stored = Path(record.file.path)
    assert record.status == WxrUpload.Status.FAILED and stored.is_file()

    admin_client.post(reverse("admin:archive_wxrupload_delete", args=[record.pk]), {"post": "yes"})
    assert not WxrUpload.objects.exists() and not stored.exists()


def test_a_broken_export_is_reported_and_nothing_imported(admin_client, django_capture_on_commit_callbacks):
    broken = SMALL_BLOG.read_bytes().replace(b"</title>", b"</titel>", 3)
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin_client, broken)
    record = WxrUpload.objects.get()
    assert record.status == WxrUpload.Status.FAILED
    assert record.error.startswith("not well-formed XML")
    assert "nothing was imported" in record.error
    assert not Post.objects.exists()


def test_a_file_that_is_not_xml_is_refused_at_once(admin_client):
    assert "Upload a WordPress export" in admin_client.get(ADD_URL).text
    response = upload(admin_client, b"PK\x03\x04 a zip file")
    assert "This is not an XML file" in response.text
    assert not WxrUpload.objects.exists()


def test_an_upload_in_progress_refreshes_itself(admin_client):
    record = WxrUpload.objects.create(file="x.xml", original_name="x.xml",
                                      status=WxrUpload.Status.RUNNING, bytes_total=200,
                                      bytes_done=50, items_done=12)
    page = admin_client.get(reverse("admin:archive_wxrupload_change", args=[record.pk])).text
    assert 'http-equiv="refresh"' in page
    assert '<progress max="100" value="25">' in page


def test_only_staff_may_import(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password="pw")
    client.force_login(reader)
    response = client.get(ADD_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --fetch-media ----------------------------------------------------------------------------------


@pytest.fixture
def http_server():
    server = LocalHTTPServer()
    yield server
    server.close()


def test_fetch_media_downloads_through_the_safe_fetcher(http_server, tmp_path):
    image = http_server.add("/pods.jpg", lambda request: Reply(
        headers=[("Content-Type", "image/jpeg")], body=b"\xff\xd8\xff jpeg bytes"))
    page = http_server.page("/evil.html", "<script>alert(1)</script>")
    private = "http://127.0.0.2/secret.png"
    items = "".join(
        f"<item><title>{n}</title><wp:post_id>{n}</wp:post_id><wp:post_type>attachment"
        f"</wp:post_type><wp:attachment_url>{url}</wp:attachment_url></item>"
        for n, url in enumerate([image, page, private], start=1))
    source = io.BytesIO(
        b'<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><link>https://m.example</link>'
        b"<wp:wxr_version>1.2</wp:wxr_version>" + items.encode() + b"</channel></rss>")
    report = ImportReport()
    import_wxr(source, report=report, fetch_files=True, fetch_policy=public_policy())

    fetched = Media.objects.get(wp_id=1)
    assert fetched.file.read() == b"\xff\xd8\xff jpeg bytes"
    assert fetched.file.name.endswith(".jpg")
    assert not Media.objects.get(wp_id=2).file  # HTML is never served from our origin
    assert not Media.objects.get(wp_id=3).file  # nor fetched from a private address
    assert report.as_dict()["counts"]["attachment files"] == {
        "created": 1, "updated": 0, "unchanged": 0, "skipped": 2}
    assert any("text/html is not a media type we keep" in w for w in report.warnings)
    assert any("not a public internet address" in w for w in report.warnings)
