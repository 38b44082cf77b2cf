"""The /api/v1/units endpoint and the OpenAPI schema."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from registry.services import api_token_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/units/"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_anonymous_is_refused():
    assert client_for().get(URL).status_code in (401, 403)


def test_officer_lists_only_own_commune_and_the_old_commune_it_took_over(officer, my_hoa_hung):
    data = client_for(officer).get(URL).json()
    assert [(row["scheme"], row["code"]) for row in data["results"]] == [
        ("2004", "30313"),  # the old Xã Mỹ Hoà Hưng, partly merged into the new one
        ("2025", my_hoa_hung.code),
    ]


def test_officer_gets_404_for_another_commune(officer, long_xuyen):
    assert client_for(officer).get(f"{URL}{long_xuyen.pk}/").status_code == 404


def test_officer_gets_own_commune_detail(officer, my_hoa_hung):
    data = client_for(officer).get(f"{URL}{my_hoa_hung.pk}/").json()
    assert data["name"] == "Xã Mỹ Hòa Hưng"
    assert data["area_type"] == "rural"


def test_children_of_a_province(province_staff, an_giang):
    data = client_for(province_staff).get(f"{URL}{an_giang.pk}/children/?page_size=500").json()
    assert data["count"] == an_giang.children.count()
    assert {row["parent"] for row in data["results"]} == {an_giang.pk}


def test_children_of_an_invisible_unit_is_404(officer, an_giang):
    assert client_for(officer).get(f"{URL}{an_giang.pk}/children/").status_code == 404


def test_name_search_ignores_diacritics(province_staff):
    data = client_for(province_staff).get(URL, {"q": "long xuyen", "level": "commune"}).json()
    assert [row["name"] for row in data["results"]] == ["Phường Long Xuyên"]


def test_name_search_does_not_widen_scope(officer):
    assert client_for(officer).get(URL, {"q": "long xuyen"}).json()["count"] == 0


def test_filter_by_level_and_scheme(admin_user_):
    data = client_for(admin_user_).get(URL, {"level": "province", "scheme": "2004"}).json()
    assert data["count"] == 63


def test_filter_by_parent(admin_user_, cho_moi):
    data = client_for(admin_user_).get(URL, {"parent": cho_moi.pk, "page_size": 100}).json()
    assert data["count"] == cho_moi.children.count()


def test_invalid_filter_value_is_a_400_naming_the_field(admin_user_):
    response = client_for(admin_user_).get(URL, {"level": "planet"})
    assert response.status_code == 400
    assert "level" in response.json()


def test_token_authentication(officer, my_hoa_hung):
    _token, secret = api_token_create(actor=officer, name="Phần mềm xã", days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert client.get(URL).json()["results"][0]["code"] == my_hoa_hung.code


def test_openapi_schema_is_valid():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert "/api/v1/units/" in schema["paths"]


def test_schema_endpoint_serves(client):
    assert client.get("/api/schema/").status_code == 200


def test_interactive_docs_use_local_assets(client):
    html = client.get("/api/docs/").content.decode()
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_officer_adds_a_village_through_the_api(officer, my_hoa_hung):
    response = client_for(officer).post(
        URL, {"parent": my_hoa_hung.pk, "name": "Ấp Mỹ Lợi", "division_type": "ấp"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["path"].startswith(my_hoa_hung.path)


def test_adding_a_village_elsewhere_is_refused_naming_the_parent(officer, long_xuyen):
    response = client_for(officer).post(
        URL, {"parent": long_xuyen.pk, "name": "Khóm 9"}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not long_xuyen.children.exists()


def test_chair_cannot_add_a_village_through_the_api(chair, my_hoa_hung):
    response = client_for(chair).post(URL, {"parent": my_hoa_hung.pk, "name": "X"}, format="json")
    assert response.status_code == 403


def test_unknown_village_type_is_refused(officer, my_hoa_hung):
    response = client_for(officer).post(
        URL, {"parent": my_hoa_hung.pk, "name": "X", "division_type": "castle"}, format="json"
    )
    assert response.status_code == 400
    assert "division_type" in response.json()
