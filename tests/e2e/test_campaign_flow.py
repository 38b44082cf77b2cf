"""The review campaign in a real browser: the officer records the village meeting and the posting,
the chair ticks the posted results and recognises them; certificates come out."""

import pytest

from households.campaign import services as campaigns
from households.models import Certificate, Review
from tests.households.factories import make_household, member, review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots"
POOR = ["D22_EMPLOYMENT", "D22_WATER_SOURCE", "D22_HYGIENIC_LATRINE"]


def test_meeting_posting_and_recognition_in_the_browser(
    login, page, live_server, officer, chair, province_staff, an_giang, my_hoa_hung, village
):
    campaign = campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=2026)
    agreed, disputed = (
        make_household(
            officer, my_hoa_hung, village=village, members=[member(name)],
            review_data=review(deprivations=POOR),
        ).reviews.get()
        for name in ("Hộ Đồng Ý", "Hộ Chưa Đồng Ý")
    )  # fmt: skip

    login("officer")
    page.goto(
        f"{live_server.url}/households/campaigns/{campaign.pk}/meeting/"
        f"?commune={my_hoa_hung.pk}&village={village.pk}"
    )
    page.fill("#id_held_on", "2025-11-01")
    page.fill("#id_attendees", "40")
    page.fill("#id_chaired_by", "Trưởng ấp Mỹ An")
    page.fill(f"#id_vote_{agreed.pk}", "30")
    page.fill(f"#id_vote_{disputed.pk}", "12")
    # The share agreeing shows as the officer types: 30 of 40 is 75%.
    page.wait_for_selector(f"[data-for='id_vote_{agreed.pk}']:has-text('75')")
    page.screenshot(path=f"{SHOTS}/e2e_meeting_form.png", full_page=True)
    page.click("#meeting-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Review.objects.get(pk=agreed.pk).status == "discussed"
    assert Review.objects.get(pk=disputed.pk).status == "listed"  # 30% sends it back

    page.goto(
        f"{live_server.url}/households/campaigns/{campaign.pk}/posting/"
        f"?commune={my_hoa_hung.pk}&village={village.pk}"
    )
    page.fill("#id_posted_from", "2025-11-05")
    page.fill("#id_posted_to", "2025-11-12")
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert Review.objects.get(pk=agreed.pk).status == "posted"

    page.click("nav .navbar-toggler")  # at tablet width the menu is folded
    page.wait_for_selector("#nav.collapse.show")  # unfolded (not still sliding open)
    page.click("nav form[action='/logout/'] button")
    page.wait_for_url("**/login/")
    login("chair")
    page.goto(f"{live_server.url}/households/recognition/")
    page.check("#select-all")
    assert page.locator("#ticked-count").inner_text() == "1"
    page.fill("#id_number", "25/QĐ-UBND")
    # After the posting ended, within the review period (1/9-14/12/2025) of the 2026 list.
    page.fill("#id_signed_on", "2025-12-01")
    page.screenshot(path=f"{SHOTS}/e2e_chair_queue.png", full_page=True)
    page.click("#decide-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    certificate = Certificate.objects.get()
    assert certificate.review_id == agreed.pk
    assert certificate.number in page.locator("main").inner_text()
    page.screenshot(path=f"{SHOTS}/e2e_decision.png", full_page=True)
