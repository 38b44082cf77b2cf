"""At tablet width (768 px) the campaign tables show every column without scrolling sideways."""

import pytest

from households.campaign import services as campaigns
from tests.households.factories import make_household, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots"
# For each table on the page: how far it sticks out of the box that holds it (0: it fits).
OVERFLOW = """() => Array.from(document.querySelectorAll('main table')).map(table => {
    const box = table.closest('.table-responsive') || document.querySelector('main');
    return Math.max(0, Math.round(table.getBoundingClientRect().width - box.clientWidth));
})"""


@pytest.fixture
def tablet(page):
    page.set_viewport_size({"width": 768, "height": 1024})
    return page


def test_campaign_progress_fits_a_tablet(
    login, tablet, live_server, officer, province_staff, an_giang, my_hoa_hung
):
    campaign = campaigns.campaign_open(actor=province_staff, province=an_giang, list_year=2026)
    make_household(officer, my_hoa_hung, members=[member("Nguyễn Văn An")])
    login("province")
    for query in ("", f"?unit={my_hoa_hung.pk}"):
        tablet.goto(f"{live_server.url}/households/campaigns/{campaign.pk}/{query}")
        overflow = tablet.evaluate(OVERFLOW)
        assert overflow and set(overflow) == {0}
    tablet.screenshot(path=f"{SHOTS}/campaign_detail_768.png", full_page=False)


@pytest.mark.parametrize(
    "path",
    ["/households/", "/households/campaigns/", "/households/objections/",
     "/households/requests/", "/households/recognition/"],
)  # fmt: skip
def test_lists_fit_a_tablet(login, tablet, live_server, officer, my_hoa_hung, path):
    make_household(officer, my_hoa_hung, members=[member("Nguyễn Văn An")])
    login("officer")
    tablet.goto(f"{live_server.url}{path}")
    assert set(tablet.evaluate(OVERFLOW)) <= {0}
