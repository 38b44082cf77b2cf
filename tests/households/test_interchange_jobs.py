"""Jobs of the interchange: an upload becomes a job that the task runs (the immediate backend of
the test settings), its progress is written outside the database while the import runs, its
result is shown and its report downloaded; exports likewise. The import and the export are
stand-ins (interchange_fakes.py) with the frozen API."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from households.choices import JobKind, JobState
from households.interchange import jobs, tasks
from households.models import Job
from registry.choices import Role

from .interchange_fakes import EXPORTED, Result, csv_upload, faked_interchange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_dir(settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def officer(make_user, my_hoa_hung):
    return make_user(Role.COMMUNE_OFFICER, my_hoa_hung, username="jobs-officer")


@pytest.fixture
def fakes():
    with faked_interchange() as calls:
        yield calls


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client, django_capture_on_commit_callbacks, unit, upload, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            "/households/import/", {"unit": unit.pk, "file": upload, "numbering": "qd121", **fields}
        )


def test_an_upload_is_imported_by_the_task_and_its_counts_shown(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks
):
    client = _client(officer)
    response = _upload(
        client, django_capture_on_commit_callbacks, my_hoa_hung, csv_upload("H1,2025,30313")
    )

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/households/jobs/{job.pk}/"
    assert (job.kind, job.state, job.owner, job.unit) == (
        JobKind.IMPORT,
        JobState.DONE,
        officer,
        my_hoa_hung,
    )
    assert job.summary["counts"] == {"households": {"created": 1, "updated": 0, "unchanged": 0}}
    assert fakes.imports[0]["content"] == b"household_code,scheme,commune_code\nH1,2025,30313\n"
    assert fakes.imports[0]["actor"] == officer
    assert fakes.imports[0]["filename"] == "households.csv"
    page = client.get(response["Location"]).content.decode()
    assert "Tệp đã được nhập." in page
    assert 'id="job-counts"' in page
    assert 'hx-get="' not in page  # ended: the page no longer polls


def test_the_upload_is_deleted_when_the_import_ends(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks
):
    _upload(
        _client(officer),
        django_capture_on_commit_callbacks,
        my_hoa_hung,
        csv_upload("H1,2025,30313"),
    )

    assert fakes.imports[0]["path"].parent == jobs.job_dir(Job.objects.get())
    assert not fakes.imports[0]["path"].exists()


def test_numbering_and_dry_run_reach_the_import(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks
):
    client = _client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/households/import/",
            {
                "unit": my_hoa_hung.pk,
                "file": csv_upload("H1,2025,30313"),
                "numbering": "census",
                "dry_run": "on",
            },
        )

    assert (fakes.imports[0]["numbering"], fakes.imports[0]["dry_run"]) == ("census", True)
    page = client.get(f"/households/jobs/{Job.objects.get().pk}/").content.decode()
    assert "Không ghi gì: đây là lần kiểm tra thử." in page


def test_a_rejected_file_shows_its_first_errors_and_the_full_report(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(jobs, "SHOWN_PROBLEMS", 2)
    rows = [f"H{n},2025,LOI <b>{n}</b>" for n in range(3)] + ["H9,2025,CANH BAO"]
    client = _client(officer)
    _upload(client, django_capture_on_commit_callbacks, my_hoa_hung, csv_upload(*rows))

    job = Job.objects.get()
    assert (job.summary["ok"], job.summary["error_count"], job.summary["warning_count"]) == (
        False,
        3,
        1,
    )
    page = client.get(f"/households/jobs/{job.pk}/").content.decode()
    assert "Tệp bị từ chối: 3 lỗi. Không có gì được ghi." in page
    assert "(2 mục đầu tiên trong số 3)" in page
    assert "LOI &lt;b&gt;0&lt;/b&gt;" in page  # a value from the file is shown escaped
    assert "LOI <b>" not in page
    report = client.get(f"/households/jobs/{job.pk}/report.csv")
    assert report.status_code == 200
    assert report["Content-Disposition"] == (
        f'attachment; filename="bao-cao-nhap-lieu-{job.pk}.csv"'
    )
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 3 + 1
    assert lines[0] == "tệp,dòng,cột,giá trị,vấn đề"


def test_the_progress_is_readable_while_the_import_runs_in_its_transaction(
    officer, my_hoa_hung, django_capture_on_commit_callbacks
):
    """The fake import runs its rows in one transaction, as the real one does; at each step the
    job's page (another client) shows the progress it reported."""
    seen = []
    viewer = _client(officer)

    def import_file(*, on_progress, **_kwargs):
        with transaction.atomic():
            for done in (1, 2, 3, 4):
                on_progress("validate", done, 4)
                job = Job.objects.get()
                seen.append(jobs.progress_read(job)["done"])
                status = viewer.get(f"/households/jobs/{job.pk}/status/").content.decode()
                seen.append(json.loads(_attr(status, "data-percent")))
        return Result(ok=True, dry_run=False, counts={})

    with faked_interchange(import_file=import_file), pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs, "PROGRESS_INTERVAL", 0)
        _upload(
            _client(officer),
            django_capture_on_commit_callbacks,
            my_hoa_hung,
            csv_upload("H1,2025,30313"),
        )

    assert seen == [1, 25, 2, 50, 3, 75, 4, 99]
    assert Job.objects.get().state == JobState.DONE


def _attr(html: str, name: str) -> str:
    return html.split(f'{name}="', 1)[1].split('"', 1)[0]


def test_the_progress_recorder_writes_no_row_and_throttles_a_phase(
    officer, my_hoa_hung, django_assert_num_queries
):
    job = Job.objects.create(owner=officer, kind="import", unit=my_hoa_hung, unit_path="x")
    recorder = jobs.ProgressRecorder(job, interval=60)
    with django_assert_num_queries(0):
        recorder("read", 10, None)
        recorder("read", 20, None)  # within the interval: not written
        after_read = jobs.progress_read(job)
        recorder("validate", 5, 100)  # a new phase is always written
    assert (after_read["phase"], after_read["done"]) == ("read", 10)
    assert jobs.progress_read(job) | {"at": 0} == {
        "phase": "validate",
        "done": 5,
        "total": 100,
        "at": 0,
    }
    assert sorted(p.name for p in jobs.job_dir(job).iterdir()) == ["progress.json"]


def test_an_import_that_raises_ends_its_job_as_failed(
    officer, my_hoa_hung, django_capture_on_commit_callbacks
):
    def broken(**_kwargs):
        raise RuntimeError("bug")

    client = _client(officer)
    with faked_interchange(import_file=broken):
        _upload(client, django_capture_on_commit_callbacks, my_hoa_hung, csv_upload("H1"))

    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert not jobs.upload_path(job).exists()
    page = client.get(f"/households/jobs/{job.pk}/").content.decode()
    assert "Việc nhập dừng lại do một lỗi không lường trước. Không có gì được ghi." in page


def test_a_job_runs_once_when_its_task_runs_twice(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks
):
    _upload(_client(officer), django_capture_on_commit_callbacks, my_hoa_hung, csv_upload("H1"))

    assert tasks.run_import.call(Job.objects.get().pk) == {"skipped": True}
    assert len(fakes.imports) == 1


def test_a_queued_job_polls_its_progress(officer, my_hoa_hung, fakes):
    client = _client(officer)
    client.post(
        "/households/import/",
        {"unit": my_hoa_hung.pk, "file": csv_upload("H1"), "numbering": "qd121"},
    )  # the task is enqueued on commit, which this test's transaction never reaches

    job = Job.objects.get()
    page = client.get(f"/households/jobs/{job.pk}/").content.decode()
    assert job.state == JobState.QUEUED
    assert f'hx-get="/households/jobs/{job.pk}/status/"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "Đang chờ bộ xử lý nền" in page
    assert '<meta http-equiv="refresh" content="3">' in page  # without JavaScript


def test_an_export_job_writes_the_file_and_its_owner_downloads_it(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks
):
    client = _client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/households/export/job/",
            {"unit": my_hoa_hung.pk, "year_from": 2025, "year_to": 2026, "format": "csv"},
        )

    job = Job.objects.get()
    assert response["Location"] == f"/households/jobs/{job.pk}/"
    assert (job.kind, job.state) == (JobKind.EXPORT, JobState.DONE)
    assert fakes.exports == [
        {"user": officer, "unit": my_hoa_hung, "years": [2025, 2026], "fmt": "csv"}
    ]
    page = client.get(response["Location"]).content.decode()
    assert f'href="/households/jobs/{job.pk}/download/"' in page
    download = client.get(f"/households/jobs/{job.pk}/download/")
    assert b"".join(download.streaming_content) == EXPORTED
    assert download["Content-Disposition"].startswith('attachment; filename="ansinh-30313-')
    assert download["Content-Disposition"].endswith('.zip"')


def test_an_export_of_every_year_passes_no_years(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _client(officer).post("/households/export/job/", {"unit": my_hoa_hung.pk, "format": "xlsx"})

    assert fakes.exports[0]["years"] is None
    assert jobs.export_path(Job.objects.get()).suffix == ".xlsx"


def test_an_export_whose_years_run_backwards_is_refused(officer, my_hoa_hung, fakes):
    response = _client(officer).post(
        "/households/export/job/",
        {"unit": my_hoa_hung.pk, "year_from": 2026, "year_to": 2024, "format": "xlsx"},
    )

    assert response.status_code == 400
    assert "Năm cuối đứng trước năm đầu." in response.content.decode()
    assert not Job.objects.exists()


def test_an_export_that_raises_ends_its_job_as_failed_and_leaves_no_file(
    officer, my_hoa_hung, django_capture_on_commit_callbacks
):
    def broken(user, unit, years, fmt, out, **options):
        out.write(b"half")
        raise RuntimeError("bug")

    client = _client(officer)
    with (
        faked_interchange(write_export=broken),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post("/households/export/job/", {"unit": my_hoa_hung.pk, "format": "csv"})

    job = Job.objects.get()
    assert job.state == JobState.FAILED
    assert sorted(p.name for p in jobs.job_dir(job).iterdir()) == ["progress.json"]
    assert client.get(f"/households/jobs/{job.pk}/download/").status_code == 404


# --- housekeeping (jobs.jobs_tidy, manage.py tidy_jobs) -------------------------------------------


def _running_job(officer, unit, *, silent_for: float) -> Job:
    """A running import whose last progress was `silent_for` seconds ago."""
    job = Job.objects.create(
        owner=officer,
        kind=JobKind.IMPORT,
        unit=unit,
        unit_path=unit.path,
        state=JobState.RUNNING,
        started_at=timezone.now(),
        params={"suffix": ".csv"},
    )
    jobs.progress_write(job, phase="write", done=10, total=100)
    jobs.upload_path(job).write_bytes(b"household_code\nH1\n")
    progress = jobs.progress_read(job)
    progress["at"] -= silent_for
    (jobs.job_dir(job) / jobs.PROGRESS_FILE).write_text(json.dumps(progress))
    return job


def test_a_running_job_silent_too_long_is_marked_failed_and_its_owner_told(
    officer, my_hoa_hung, settings
):
    settings.JOBS_STALE_AFTER = 600
    stalled = _running_job(officer, my_hoa_hung, silent_for=601)
    alive = _running_job(officer, my_hoa_hung, silent_for=30)

    assert jobs.jobs_tidy() == {"failed": 1, "pruned": 0}

    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert (stalled.state, stalled.summary) == (JobState.FAILED, {"failed": True, "stale": True})
    assert stalled.finished_at is not None
    assert not jobs.upload_path(stalled).exists()
    assert alive.state == JobState.RUNNING and jobs.upload_path(alive).exists()
    page = _client(officer).get(f"/households/jobs/{stalled.pk}/").content.decode()
    assert "Bộ xử lý nền đang chạy việc nhập này đã dừng" in page
    assert 'id="job-stale"' in page
    assert "hx-get" not in page  # no longer polled


def test_a_job_ended_meanwhile_is_not_marked_failed(officer, my_hoa_hung, settings):
    settings.JOBS_STALE_AFTER = 600
    job = _running_job(officer, my_hoa_hung, silent_for=601)
    Job.objects.filter(pk=job.pk).update(state=JobState.DONE, summary={"ok": True})

    assert jobs.jobs_tidy()["failed"] == 0
    job.refresh_from_db()
    assert (job.state, job.summary) == (JobState.DONE, {"ok": True})


def test_the_files_of_old_jobs_are_deleted_and_the_page_says_so(
    officer, my_hoa_hung, fakes, django_capture_on_commit_callbacks, settings
):
    settings.JOBS_KEEP_DAYS = 14
    client = _client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/households/export/job/", {"unit": my_hoa_hung.pk, "format": "csv"})
        client.post("/households/export/job/", {"unit": my_hoa_hung.pk, "format": "csv"})
    old, recent = Job.objects.order_by("pk")
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - dt.timedelta(days=15))
    Job.objects.filter(pk=recent.pk).update(finished_at=timezone.now() - dt.timedelta(days=13))

    assert jobs.jobs_tidy() == {"failed": 0, "pruned": 1}
    assert jobs.jobs_tidy() == {"failed": 0, "pruned": 0}  # once

    old.refresh_from_db()
    assert old.summary["pruned"] is True and old.state == JobState.DONE
    assert not jobs.job_dir(old).exists()
    assert jobs.export_path(recent).exists()
    page = client.get(f"/households/jobs/{old.pk}/").content.decode()
    assert "Tệp xuất đã được xoá 14 ngày sau khi việc xuất kết thúc." in page
    assert f'href="/households/jobs/{old.pk}/download/"' not in page
    assert client.get(f"/households/jobs/{old.pk}/download/").status_code == 404
    assert (
        f'href="/households/jobs/{recent.pk}/download/"'
        in client.get(f"/households/jobs/{recent.pk}/").content.decode()
    )


def test_the_tidy_jobs_command_reports_what_it_did(officer, my_hoa_hung, settings):
    settings.JOBS_STALE_AFTER = 600
    _running_job(officer, my_hoa_hung, silent_for=3600)
    out = io.StringIO()

    call_command("tidy_jobs", stdout=out)

    assert out.getvalue().startswith("1 stalled job(s) marked failed, files of 0 job(s)")
    assert Job.objects.get().state == JobState.FAILED
