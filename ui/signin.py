"""The sign-in cookie of /data: an editor stays signed in across a reload (kpis.sessions).

Streamlit 1.67 reads the request's cookies (`st.context.cookies`, fixed when the browser
connects) but cannot set one from Python, let alone an `HttpOnly` one. The page sets it from a
tiny script (`st.html(..., unsafe_allow_javascript=True)`, which runs in the page itself):
`SameSite=Strict` (never sent from another site's page), `Secure` over HTTPS, `Max-Age` the
token's lifetime, nothing but the signed token in it. Because a script can also read it, the
token is signed, short-lived, bound to the account's password and revoked on the server when
the editor signs out (docs/deployment.md says so).
"""

from __future__ import annotations

import json

import streamlit as st

from kpis import auth, paths, sessions
from kpis.scope import Scope, scope_in
from ui import cache

TOKEN_KEY = "data_sign_in_token"  # the token this session holds (None: signed out)
SET_KEY = "data_sign_in_cookie_set"  # this session has given the browser a token
EDITOR_KEY = "data_signed_in"  # the password editor this session signed in (/data, /tasks)
ACCOUNT_KEY = "data_signed_in_account"  # `kpis.sessions.account_mark` at sign-in
ENDED_KEY = "data_sign_in_ended"  # the account changed or went: the next page says so


def start(user: str, editors: auth.Editors) -> None:
    """Sign this session in as `user` (a password or a remembered sign-in), bound to the
    account as it is now: a later change of it ends the sign-in (`session_editor`)."""
    st.session_state[EDITOR_KEY] = user
    st.session_state[ACCOUNT_KEY] = sessions.account_mark(user, editors)


def session_editor(editors: auth.Editors) -> str | None:
    """The password editor signed in in this session, asked on every run: while the account
    is still in `editors` with the password it signed in with. Removed, disabled or its
    password changed: signed out here and now (`ended` then says so)."""
    user = st.session_state.get(EDITOR_KEY)
    if not user:
        return None
    if sessions.same_account(user, st.session_state.get(ACCOUNT_KEY), editors):
        return user
    end(editors)
    st.session_state[ENDED_KEY] = True
    return None


def end(editors: auth.Editors) -> None:
    """Sign this session out: its tokens revoked, the browser's cookie cleared."""
    forget(editors)
    st.session_state.pop(EDITOR_KEY, None)
    st.session_state.pop(ACCOUNT_KEY, None)


def ended() -> bool:
    """Whether a sign-in of this session was ended by a change of its account since the last
    time a page asked (asked once: the page that shows the message)."""
    return bool(st.session_state.pop(ENDED_KEY, False))


def request_token() -> str | None:
    """The token the browser sent when this session connected, if any."""
    try:
        token = st.context.cookies.get(sessions.COOKIE_NAME)
    except (AttributeError, RuntimeError):  # no browser behind the session (AppTest, bare)
        return None
    return token if isinstance(token, str) else None


def remembered(editors: auth.Editors) -> str | None:
    """The editor a valid token of the request signs in again (never after signing out)."""
    token = request_token()
    if st.session_state.get(TOKEN_KEY, "") is None:
        return None  # signed out in this session: the request's cookie is revoked anyway
    user = sessions.verify(token, editors)
    if user is not None:
        st.session_state[TOKEN_KEY] = token
    return user


def signed_in_user(editors: auth.Editors, user_info: dict) -> str | None:
    """The editor's name: a password account of this session (or of a sign-in this browser
    made within `kpis.sessions.hours()`, before a reload or on another page opened by its
    address), or an allowed SSO identity (`user_info`: `st.user.to_dict()`). Asked of
    `editors` as they are now: an account removed or given another password since it signed
    in is signed out (`session_editor`). /data and /tasks both ask it: /tasks asked this
    session alone, and sent an editor who opened it by its address to /data to sign in, where
    they were signed in already."""
    user = session_editor(editors)
    if user is not None:
        return user
    if user_info.get("is_logged_in"):
        email = str(user_info.get("email") or "")
        if editors.allows_email(email):
            return email
    again = remembered(editors) if editors.passwords else None
    if again is not None:
        start(again, editors)
    return again


def scope_of(editors: auth.Editors, who: str | None) -> Scope | None:
    """The plans and agencies `who` may write for (None: no limit), read against the catalogue
    the sidebar offers, whose default plan is targets.yaml's (kpis.scope). /data, /tasks and
    /data's undo and redo all ask it, of `editors` as they are now."""
    limit = editors.limits(who)
    if limit is None:
        return None
    main = paths.targets_path()
    return scope_in(limit, cache.catalogue_cached(main, paths.plans_path()), main)


def remember(user: str, editors: auth.Editors) -> None:
    """After a password sign-in: a token for this browser (set by `cookie_script`)."""
    token = sessions.issue(user, editors)
    if token is not None:
        st.session_state[TOKEN_KEY] = token


def forget(editors: auth.Editors) -> None:
    """Signing out: revoke every token this session knows of, then clear the cookie."""
    for token in {st.session_state.get(TOKEN_KEY), request_token()}:
        sessions.revoke(token, editors)
    st.session_state[TOKEN_KEY] = None


def cookie_script() -> None:
    """Set or clear the browser's cookie when this session's token differs from it.

    Drawn on every run while they differ: the element stays the same, so its script runs once
    when it is first shown (a rerun that followed at once cannot swallow it)."""
    if TOKEN_KEY not in st.session_state:
        return
    token = st.session_state[TOKEN_KEY]
    # The request's cookie is what the browser had when this session began; a token set by
    # this session since (then signed out) is in the browser too.
    if token == request_token() and not (token is None and st.session_state.get(SET_KEY)):
        return
    if token is not None:
        st.session_state[SET_KEY] = True
    lifetime = int(sessions.hours() * 3600) if token else 0
    # The token is base64url, digits and dots; json.dumps quotes it for the script anyway.
    value = json.dumps(token or "")
    name = json.dumps(sessions.COOKIE_NAME)
    st.html(
        "<script>"
        f"document.cookie = {name} + '=' + {value} + '; Max-Age={lifetime}; Path=/; "
        "SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');"
        "</script>",
        unsafe_allow_javascript=True,
    )
