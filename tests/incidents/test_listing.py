"""The incident list: search, filters, sorting and pagination."""

import pytest

from tests.helpers import incident_form, reference_from


@pytest.fixture
def three_incidents(client, as_role):
    as_role("commander")
    specs = [
        ("Phishing at payroll", "open", "DE", ["1"]),
        ("LiteLLM supply chain", "contained", "US-CA", ["14"]),
        ("Lost laptop", "closed", "FR", ["1", "5"]),
    ]
    references = []
    for title, status, code, categories in specs:
        data = incident_form(
            title=title,
            status=status,
            data_categories=categories,
            **{
                "jurisdictions-0-code": code,
                "jurisdictions-1-code": None,
                "jurisdictions-1-people": None,
            },
        )
        references.append(reference_from(client.post("/incidents/new", data=data)))
    return references


def _rows(client, **args) -> list[str]:
    page = client.get("/incidents/", query_string=args).data.decode()
    return [
        title
        for title in ("Phishing at payroll", "LiteLLM supply chain", "Lost laptop")
        if title in page
    ]


def test_search_matches_title_and_reference(client, three_incidents):
    assert _rows(client, q="litellm") == ["LiteLLM supply chain"]
    assert _rows(client, q=three_incidents[2]) == ["Lost laptop"]


def test_search_treats_wildcards_literally(client, three_incidents):
    assert _rows(client, q="%") == []
    assert _rows(client, q="_") == []


def _category_code(app, category_id: int) -> str:
    from incident_tracker.extensions import db
    from incident_tracker.models import DataCategory

    with app.app_context():
        return db.session.get(DataCategory, category_id).code


def test_filters_by_status_category_and_jurisdiction(client, app, three_incidents):
    code = _category_code(app, 5)
    assert _rows(client, status="closed") == ["Lost laptop"]
    assert _rows(client, category=code) == ["Lost laptop"]
    assert _rows(client, jurisdiction="us-ca") == ["LiteLLM supply chain"]
    assert _rows(client, status="nonsense") == [
        "Phishing at payroll",
        "LiteLLM supply chain",
        "Lost laptop",
    ]


def test_sorting_by_title_both_ways(client, three_incidents):
    ascending = client.get(
        "/incidents/", query_string={"sort": "title", "order": "asc"}
    ).data.decode()
    positions = [
        ascending.index(t) for t in ("LiteLLM supply chain", "Lost laptop", "Phishing at payroll")
    ]
    assert positions == sorted(positions)
    descending = client.get(
        "/incidents/", query_string={"sort": "title", "order": "desc"}
    ).data.decode()
    positions = [
        descending.index(t) for t in ("Phishing at payroll", "Lost laptop", "LiteLLM supply chain")
    ]
    assert positions == sorted(positions)


def test_pagination(client, app, three_incidents):
    app.config["INCIDENTS_PER_PAGE"] = 2
    try:
        first = _rows(client, sort="reference", order="asc")
        second = _rows(client, sort="reference", order="asc", page=2)
    finally:
        app.config["INCIDENTS_PER_PAGE"] = 25
    assert len(first) == 2 and len(second) == 1
    assert set(first) | set(second) == {
        "Phishing at payroll",
        "LiteLLM supply chain",
        "Lost laptop",
    }
    assert _rows(client, page=99) == []


def _count(client, **args) -> str:
    page = client.get("/incidents/", query_string=args).data.decode()
    return page.split("incident(s)")[0].rsplit(">", 1)[1].strip()


def test_search_combines_with_filters_sorting_and_the_count(client, three_incidents):
    """The search reads its index differently for the page (in date order) and the count (index
    first, joined): both agree, under every sort and with the other filters."""
    for sort in ("created_at", "title", "reference"):
        assert _rows(client, q="LiteLLM", status="contained", sort=sort) == ["LiteLLM supply chain"]
        assert _rows(client, q="LiteLLM", status="closed", sort=sort) == []
    assert _rows(client, q="lap", jurisdiction="FR") == ["Lost laptop"]
    assert _rows(client, q="lap", jurisdiction="DE") == []
    assert _count(client, q="pay") == "1"
    assert _count(client, q="LiteLLM", status="closed") == "0"
    assert _count(client, q="ll") == "2"  # payroll, LiteLLM: shorter than a trigram, scanned
    assert _rows(client, q="ll", sort="title") == ["Phishing at payroll", "LiteLLM supply chain"]


def _edit_payroll(client, reference: str, categories: list[str], places: dict[str, str]) -> None:
    from tests.helpers import edit_form

    data = edit_form(client, reference, title="Phishing at payroll", data_categories=categories)
    data = {key: value for key, value in data.items() if not key.startswith("jurisdictions-")}
    for number, (code, people) in enumerate(places.items()):
        data |= {f"jurisdictions-{number}-code": code, f"jurisdictions-{number}-people": people}
    response = client.post(f"/incidents/{reference}/edit", data=data)
    assert response.status_code == 302, response.data.decode()


def test_category_and_place_together_follow_every_edit(client, app, three_incidents):
    """Both filters at once read the filter codes' index on PostgreSQL (kept by triggers) and the
    two tables on SQLite: the page and the count follow places added, emptied and removed, and
    categories added and removed."""
    payroll, first, fifth = three_incidents[0], _category_code(app, 1), _category_code(app, 5)
    assert _rows(client, category=first, jurisdiction="DE") == ["Phishing at payroll"]
    assert _rows(client, category=first, jurisdiction="FR") == ["Lost laptop"]
    assert _rows(client, category=fifth, jurisdiction="DE") == []
    _edit_payroll(client, payroll, ["1"], {"DE": "0", "FR": "4"})  # nobody left in DE
    assert _rows(client, category=first, jurisdiction="DE") == []
    assert _count(client, category=first, jurisdiction="DE") == "0"
    assert _rows(client, category=first, jurisdiction="FR") == [
        "Phishing at payroll",
        "Lost laptop",
    ]
    assert _count(client, category=first, jurisdiction="FR", status="open") == "1"
    _edit_payroll(client, payroll, ["5"], {"DE": "7"})  # FR removed, category 1 replaced by 5
    assert _rows(client, category=first, jurisdiction="FR") == ["Lost laptop"]
    assert _rows(client, category=fifth, jurisdiction="DE") == ["Phishing at payroll"]
    assert _rows(client, category=fifth, jurisdiction="de", status="closed") == []
    assert _count(client, category=fifth, jurisdiction="DE") == "1"


def test_pages_within_and_past_the_first_matches_and_their_count(
    client, app, three_incidents, monkeypatch
):
    """Without a search one query reads the ids of the first COUNT_CAP + 1 matches, which give
    the count and the page; a page past them is read by offset, the count then "more than"."""
    from incident_tracker.incidents import listing as incident_list
    from incident_tracker.incidents import views as incidents

    for module in (incident_list, incidents):
        monkeypatch.setattr(module, "COUNT_CAP", 1)
    app.config["INCIDENTS_PER_PAGE"] = 1
    try:
        pages = [
            client.get("/incidents/", query_string={"sort": "title", "page": n}).text
            for n in (1, 2, 3, 4)
        ]
        filtered = client.get("/incidents/", query_string={"status": "closed"}).text
    finally:
        app.config["INCIDENTS_PER_PAGE"] = 25
    titles = ("Phishing at payroll", "Lost laptop", "LiteLLM supply chain")  # title, descending
    for page, title in zip(pages, titles, strict=False):
        assert [t for t in titles if t in page] == [title]
        assert "More than 1 incidents" in page
    assert not any(t in pages[3] for t in titles)
    assert "Lost laptop" in filtered and "1 incident(s)" in filtered
