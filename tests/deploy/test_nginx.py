"""deploy/nginx/incident-tracker.conf in front of gunicorn, as docs/deploy.md installs it: Debian's
nginx on loopback with a self-signed certificate. Pages and a login over HTTPS, HSTS and secure
cookies, plain HTTP sent to HTTPS, and the login throttle seeing the client's own address through
INCIDENT_TRACKER_TRUSTED_PROXIES=1 (a client on 127.0.0.2, which also forges X-Forwarded-For)."""

import shutil
import sqlite3
import ssl
import subprocess

import pytest

from .conftest import ADMIN, ROOT, Client, free_port, run, stop, wait_for_port

pytestmark = pytest.mark.deploy
SITE = ROOT / "deploy" / "nginx" / "incident-tracker.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_for_test(upstream: int, http: int, https: int, certificate, key) -> str:
    """The shipped site with only its addresses and certificate paths changed; each replacement
    must find its text exactly once, so the test breaks when the shipped file changes shape."""
    text = SITE.read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream};",
        "    listen 80;\n": f"    listen 127.0.0.1:{http};\n",
        "    listen [::]:80;\n": "",
        "    listen 443 ssl http2;\n": f"    listen 127.0.0.1:{https} ssl http2;\n",
        "    listen [::]:443 ssl http2;\n": "",
        "/etc/ssl/incident-tracker/fullchain.pem": str(certificate),
        "/etc/ssl/incident-tracker/privkey.pem": str(key),
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, f"{SITE.name} no longer has {old!r} once"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def nginx(behind_proxy, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    run(
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out",
        str(certificate), "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    )  # fmt: skip
    http, https = free_port(), free_port()
    (folder / "site.conf").write_text(
        site_for_test(behind_proxy.port, http, https, certificate, key)
    )
    for temporary in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temporary).mkdir()
    (folder / "nginx.conf").write_text(
        f"""daemon off;
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}
"""
    )
    run(NGINX, "-t", "-q", "-p", str(folder), "-c", str(folder / "nginx.conf"))
    server = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for_port(https, server)
        context = ssl.create_default_context(cafile=str(certificate))
        yield {"http": http, "https": https, "context": context}
    finally:
        stop(server)


def test_the_shipped_site_is_valid_nginx_configuration(nginx):
    """`nginx -t` passed on it in the fixture; here the certificate really is verified."""
    client = Client(nginx["https"], context=ssl.create_default_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        client.get("/auth/login")


def test_a_page_over_https_carries_hsts_and_no_server_version(nginx):
    page = Client(nginx["https"], context=nginx["context"]).get("/auth/login")
    assert page.status == 200 and "Log in" in page.body
    assert "max-age=31536000" in page.header("Strict-Transport-Security")
    assert page.header("Server") == "nginx"


def test_plain_http_is_sent_to_https(nginx):
    answer = Client(nginx["http"]).get("/incidents/?q=x")
    assert answer.status == 301
    assert answer.header("Location") == "https://127.0.0.1/incidents/?q=x"


def test_a_login_over_https_sets_secure_cookies_and_reaches_the_dashboard(nginx):
    client = Client(nginx["https"], context=nginx["context"])
    answer = client.log_in(*ADMIN)
    assert answer.status == 302, answer.body[:500]
    cookies = answer.headers.get_all("Set-Cookie")
    session = [cookie for cookie in cookies if cookie.startswith("session=")]
    assert session and all("Secure" in c and "HttpOnly" in c for c in session), cookies
    dashboard = client.get(answer.header("Location"))
    assert dashboard.status == 200 and "Deadlines" in dashboard.body


def test_the_throttle_sees_the_clients_own_address_not_a_forged_one(nginx, behind_proxy):
    client = Client(nginx["https"], context=nginx["context"], source="127.0.0.2")
    forged = {"X-Forwarded-For": "203.0.113.7", "X-Real-IP": "203.0.113.7"}
    answer = client.log_in("nobody@example.org", "a wrong password", headers=forged)
    assert answer.status == 200 and "wrong password" in answer.body
    with sqlite3.connect(behind_proxy.database) as database:
        rows = database.execute(
            "SELECT address FROM login_attempt WHERE email = 'nobody@example.org'"
        ).fetchall()
    assert rows == [("127.0.0.2",)]
