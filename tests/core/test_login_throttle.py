"""Sign-in attempts are throttled per user and address (django-axes)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

LOGIN = "/accounts/login/"


def _try(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_out_the_user_from_that_address(client, db, settings):
    get_user_model().objects.create_user("sam", password="right-password-1")
    for _ in range(4):
        assert _try(client, "sam", "wrong").status_code == 200
    locked = _try(client, "sam", "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "You can try again in 15 minutes" in html
    assert locked["Retry-After"] == "900"
    # Now even the right password is refused from that address...
    again = _try(client, "sam", "right-password-1")
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # ...but the same user from another address, and another user from it, still sign in.
    assert _try(client, "sam", "right-password-1", "10.0.0.2").status_code == 302
    client.logout()
    get_user_model().objects.create_user("kim", password="right-password-2")
    assert _try(client, "kim", "right-password-2").status_code == 302


def test_a_correct_password_before_the_limit_resets_the_count(client, db):
    get_user_model().objects.create_user("sam", password="right-password-1")
    for _ in range(4):
        _try(client, "sam", "wrong")
    assert _try(client, "sam", "right-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        assert _try(client, "sam", "wrong").status_code == 200


def test_forwarded_for_is_ignored_unless_behind_a_proxy(client, db, settings):
    get_user_model().objects.create_user("sam", password="right-password-1")
    # Without a declared proxy, a changing X-Forwarded-For does not dodge the lockout.
    for n in range(5):
        client.post(
            LOGIN,
            {"username": "sam", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert _try(client, "sam", "right-password-1").status_code == 429
    settings.BEHIND_PROXY = True
    response = client.post(
        LOGIN,
        {"username": "sam", "password": "right-password-1"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert response.status_code == 302
