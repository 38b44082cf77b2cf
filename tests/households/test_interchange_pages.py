"""The upload, export and job pages: who may import where, the upload's limits, and a job seen
by its owner only, while its unit is in their area (anyone else: 404, as if missing)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from households.interchange import jobs
from households.models import Job
from registry.choices import Role
from registry.models import Assignment
from registry.scoping import forget_scope

from .interchange_fakes import csv_upload, faked_interchange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_dir(settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def officer(make_user, my_hoa_hung):
    return make_user(Role.COMMUNE_OFFICER, my_hoa_hung, username="pages-officer")


@pytest.fixture(autouse=True)
def fakes():
    with faked_interchange() as calls:
        yield calls


@pytest.fixture
def job(officer, my_hoa_hung, django_capture_on_commit_callbacks) -> Job:
    """A finished import of the officer, with a report (one error)."""
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_create(
            actor=officer, unit=my_hoa_hung, upload=csv_upload("H1,2025,LOI")
        )
    job.refresh_from_db()
    assert job.summary["report"]
    return job


@pytest.fixture
def export_job(officer, my_hoa_hung, django_capture_on_commit_callbacks) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_job_create(actor=officer, unit=my_hoa_hung, fmt="xlsx")
    job.refresh_from_db()
    return job


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(job: Job, export_job: Job) -> list[str]:
    base = f"/households/jobs/{job.pk}/"
    return [
        base,
        f"{base}status/",
        f"{base}report.csv",
        f"/households/jobs/{export_job.pk}/download/",
    ]


# --- who may import -------------------------------------------------------------------------------


def test_a_commune_officer_imports_into_their_commune_only(officer, my_hoa_hung):
    page = _client(officer).get("/households/import/").content.decode()

    assert f'type="hidden" name="unit" value="{my_hoa_hung.pk}"' in page
    assert "Xã Mỹ Hòa Hưng" in page


def test_district_staff_import_into_their_district(make_user, cho_moi):
    staff = make_user(Role.DISTRICT_STAFF, cho_moi)

    page = _client(staff).get("/households/import/").content.decode()

    assert f'name="unit" value="{cho_moi.pk}"' in page


@pytest.mark.parametrize("role", [Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF])
def test_chairs_and_province_staff_do_not_import(make_user, my_hoa_hung, an_giang, role):
    user = make_user(role, my_hoa_hung if role == Role.COMMUNE_CHAIR else an_giang)

    response = _client(user).get("/households/import/")

    assert response.status_code == 403
    assert "Chỉ cán bộ xã (cho xã của mình) hoặc cán bộ huyện" in response.content.decode()


def test_an_officer_cannot_import_into_another_commune(officer, long_xuyen):
    response = _client(officer).post(
        "/households/import/", {"unit": long_xuyen.pk, "file": csv_upload("H1")}
    )

    assert response.status_code == 200
    assert "Long Xuyên" not in response.content.decode()
    assert not Job.objects.exists()


def test_the_service_refuses_an_importer_outside_their_area(officer, long_xuyen):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        jobs.import_job_create(actor=officer, unit=long_xuyen, upload=csv_upload("H1"))


# --- the upload's limits --------------------------------------------------------------------------


def _post_file(user, unit, content: bytes, name: str = "households.csv"):
    return _client(user).post(
        "/households/import/",
        {"unit": unit.pk, "file": SimpleUploadedFile(name, content), "numbering": "qd121"},
    )


LIMIT = 2 * 1024 * 1024


# Just over the limit, the upload is stopped when its bytes are counted; far over it, as soon as
# the request declares its length.
@pytest.mark.parametrize("size", [LIMIT + 1_000, LIMIT + 100_000], ids=["counted", "declared"])
def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    officer, my_hoa_hung, settings, size
):
    settings.IMPORT_UPLOAD_MAX_BYTES = LIMIT

    response = _post_file(officer, my_hoa_hung, b"x" * size)

    assert response.status_code == 200
    assert "Tệp lớn hơn 2,0\xa0MB, mức tối đa" in response.content.decode()
    assert not Job.objects.exists()
    assert not list(settings.JOBS_DIR.glob("*/upload*"))


def test_a_file_within_the_limit_is_taken(officer, my_hoa_hung, settings):
    settings.IMPORT_UPLOAD_MAX_BYTES = LIMIT

    response = _post_file(officer, my_hoa_hung, b"x" * (LIMIT - 1_000))

    assert response.status_code == 302


def test_a_file_of_another_kind_is_refused(officer, my_hoa_hung):
    response = _post_file(officer, my_hoa_hung, b"MZ", name="virus.exe")

    assert "Hãy tải lên một tệp CSV, một tệp ZIP chứa các tệp CSV" in response.content.decode()
    assert not Job.objects.exists()


# --- who sees a job -------------------------------------------------------------------------------


def test_the_owner_sees_their_jobs_and_files(officer, job, export_job):
    client = _client(officer)

    assert [client.get(url).status_code for url in _urls(job, export_job)] == [200] * 4
    listing = client.get("/households/jobs/").content.decode()
    assert f'href="/households/jobs/{job.pk}/"' in listing
    assert f'href="/households/jobs/{export_job.pk}/"' in listing


def test_the_problems_table_of_a_job_is_headed_in_vietnamese(officer, job):
    page = _client(officer).get(f"/households/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="vi")

    headers = page.content.decode().split("<thead>")[-1].split("</thead>")[0]
    for english, vietnamese in [("File", "Tệp"), ("Row", "Dòng"), ("Column", "Cột"),
                                ("Value", "Giá trị"), ("Problem", "Vấn đề")]:  # fmt: skip
        assert f">{vietnamese}</th>" in headers
        assert f">{english}</th>" not in headers


def test_another_officer_of_the_same_commune_gets_404(make_user, my_hoa_hung, job, export_job):
    colleague = make_user(Role.COMMUNE_OFFICER, my_hoa_hung)
    client = _client(colleague)

    assert [client.get(url).status_code for url in _urls(job, export_job)] == [404] * 4
    assert f"/households/jobs/{job.pk}/" not in client.get("/households/jobs/").content.decode()


def test_the_province_above_gets_404_too(make_user, an_giang, job, export_job):
    client = _client(make_user(Role.PROVINCE_STAFF, an_giang))

    assert [client.get(url).status_code for url in _urls(job, export_job)] == [404] * 4


def test_an_owner_who_left_the_unit_no_longer_sees_its_jobs(officer, job, export_job):
    Assignment.objects.filter(user=officer).update(is_active=False)
    forget_scope(officer)
    client = _client(officer)

    assert [client.get(url).status_code for url in _urls(job, export_job)] == [404] * 4
    assert f"/households/jobs/{job.pk}/" not in client.get("/households/jobs/").content.decode()


def test_a_report_or_a_file_the_job_has_not_is_404(officer, job, export_job):
    client = _client(officer)

    assert client.get(f"/households/jobs/{export_job.pk}/report.csv").status_code == 404
    assert client.get(f"/households/jobs/{job.pk}/download/").status_code == 404


def test_an_officer_exports_only_units_of_their_area(officer, long_xuyen):
    response = _client(officer).post(
        "/households/export/job/", {"unit": long_xuyen.pk, "format": "xlsx"}
    )

    assert response.status_code == 400
    assert not Job.objects.exists()


def test_province_staff_choose_their_province_or_a_commune_of_it(make_user, an_giang, my_hoa_hung):
    page = _client(make_user(Role.PROVINCE_STAFF, an_giang)).get("/households/export/")

    body = page.content.decode()
    assert f'<option value="{an_giang.pk}"' in body
    assert f'<option value="{my_hoa_hung.pk}"' in body
    assert "Hà Nội" not in body
