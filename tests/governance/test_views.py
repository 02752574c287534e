"""The rules screens and the login page: each rule shown with its clause; permission-checked."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def test_login_page_renders_in_chinese(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_login_page_in_english_when_chosen(client, db):
    client.cookies["django_language"] = "en"
    body = client.get(reverse("login")).content.decode()
    assert "Log in" in body


def test_anonymous_is_sent_to_login(client, db):
    for name, args in (("home", []), ("meeting_type_list", []), ("meeting_type_detail", ["PG"])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_home_shows_my_posts(client, presets):
    client.force_login(presets.head)
    body = client.get(reverse("home")).content.decode()
    assert "陈处长" in body and "外贸处 处室负责人" in body


def test_rules_page_names_the_clause(client, presets):
    client.force_login(presets.staff)
    body = client.get(reverse("meeting_type_detail", args=["PG"])).content.decode()
    assert "三分之二以上" in body and "一、（三）3" in body and "R-QU-2" in body


def test_rules_list_query_count_is_constant(client, presets):
    client.force_login(presets.staff)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("meeting_type_list"))
    assert response.status_code == 200
    # 9: one of them asks, on every request, whether the account holds an administrator role (三员分立);
    # +3: the session is saved on every request (SAVEPOINT, UPDATE, RELEASE) for the idle timeout.
    assert len(queries) <= 12, [q["sql"] for q in queries]


def test_outsider_sees_only_their_own_bureau(client, presets):
    client.force_login(presets.outsider)
    assert client.get(reverse("meeting_type_detail", args=["PG"])).status_code == 404
    assert "局党组会议" not in client.get(reverse("meeting_type_list")).content.decode()


def test_chinese_even_for_an_english_browser_until_english_is_chosen(client, db):
    """Chinese is the default: a browser's Accept-Language does not switch the screens."""
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in body and "Log in" not in body
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("login")).content.decode()
