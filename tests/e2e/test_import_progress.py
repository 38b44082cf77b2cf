"""A commune officer uploads a file and watches its import move on the job's page, the task run
by the real database queue's worker beside the live server, until the bar reaches the end and
the counts show.

The import is the stand-in of tests/households/interchange_fakes.py, slowed down (a row every
0.3 s) so that the page is seen between the start and the end.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from households.interchange import tasks
from households.models import Job

from ..households.interchange_fakes import Calls, fake_import_file, faked_interchange

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots"
ROWS = 12


def _worker() -> threading.Thread:
    """django-tasks-db's worker in a thread, for one task. An in-memory SQLite test database
    is shared with the thread, as the live server shares it (LiveServerThread)."""
    from django_tasks_db.management.commands.db_worker import Worker

    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()

    def run() -> None:
        for alias, conn in shared.items():
            connections[alias] = conn
        try:
            Worker(
                queue_names=["default"],
                interval=0.1,
                batch=False,
                backend_name="database",
                startup_delay=False,
                max_tasks=1,
                worker_id="e2e-worker",
                excluded_queue_names=[],
            ).run()
        finally:
            for conn in connections.all():
                if conn.alias not in shared:
                    conn.close()
            for conn in shared.values():
                conn.dec_thread_sharing()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_an_officer_watches_the_import_of_an_upload_reach_the_end(
    login, page, live_server, officer, monkeypatch, settings, tmp_path
):
    settings.JOBS_DIR = tmp_path / "jobs"
    monkeypatch.setattr(tasks, "run_import", tasks.run_import.using(backend="database"))
    body = "\n".join(
        ["household_code,scheme,commune_code"] + [f"H{n},2025,30313" for n in range(ROWS)]
    )
    with faked_interchange(import_file=fake_import_file(Calls(), delay=0.3)):
        login("officer")
        page.goto(f"{live_server.url}/households/import/")
        page.screenshot(path=f"{SHOTS}/import_form_800.png", full_page=True)
        page.set_input_files(
            "#id_file",
            files=[{"name": "ho-my-hoa-hung.csv", "mimeType": "text/csv", "buffer": body.encode()}],
        )
        page.click("#import-submit")
        page.wait_for_url("**/households/jobs/*/")
        assert page.locator("#job-phase").inner_text() == "Đang chờ bộ xử lý nền"

        worker = _worker()
        # The bar moves while the rows are checked, polled by htmx.
        page.wait_for_function(
            "() => { const bar = document.querySelector('#job-bar');"
            " const n = bar ? Number(bar.dataset.percent) : 0; return n > 0 && n < 100; }"
        )
        assert page.locator("#job-phase").inner_text() == "Đang kiểm tra các dòng"
        page.screenshot(path=f"{SHOTS}/import_progress_800.png", full_page=True)

        page.wait_for_selector("#job-status[data-state='done']", timeout=30_000)
        worker.join(timeout=10)

    assert not worker.is_alive()
    assert page.locator("#job-bar").get_attribute("data-percent") == "100"
    assert page.locator("#job-result .alert-success").inner_text() == "Tệp đã được nhập."
    assert page.locator("#job-counts tbody td").first.inner_text() == str(ROWS)
    assert Job.objects.get().state == "done"
    page.screenshot(path=f"{SHOTS}/import_done_800.png", full_page=True)


def test_an_officer_imports_a_real_file_and_finds_its_households(
    login, page, live_server, officer, monkeypatch, settings, tmp_path
):
    # The real importer this time (households.interchange.importing), run by the worker: three
    # families of Mỹ Hòa Hưng in a ZIP of CSV files, then the household list shows them.
    from households.models import Household

    from ..households.interchange.files import family, merged, write_zip

    settings.JOBS_DIR = tmp_path / "jobs"
    monkeypatch.setattr(tasks, "run_import", tasks.run_import.using(backend="database"))
    upload = write_zip(
        tmp_path / "ho-ngheo.zip",
        merged(*(family(f"NH-{n}", prefix=f"{n} ") for n in range(3))),
    )
    login("officer")
    page.goto(f"{live_server.url}/households/import/")
    page.set_input_files("#id_file", str(upload))
    page.click("#import-submit")
    page.wait_for_url("**/households/jobs/*/")
    worker = _worker()
    page.wait_for_selector("#job-status[data-state='done']", timeout=60_000)
    worker.join(timeout=10)

    assert page.locator("#job-bar").get_attribute("data-percent") == "100"
    assert page.locator("#job-result .alert-success").inner_text() == "Tệp đã được nhập."
    page.screenshot(path=f"{SHOTS}/import_real_done_800.png", full_page=True)
    assert set(Household.objects.values_list("code", flat=True)) >= {"NH-0", "NH-1", "NH-2"}
    page.goto(f"{live_server.url}/households/?q=NH-1")
    assert "NH-1" in page.content()
