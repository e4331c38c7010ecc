"""
Smoke tests for the benchmark harness (bench/): it reads wrk right, keeps docs/performance.md's
other sections, builds its dataset, can still fill in the comment form, and the nginx front it
measures (deploy/nginx/) is valid nginx that lets readers of its cached pages comment. No
timings: those live in docs/performance.md only.
"""

import os
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
from django.urls import reverse

from bench import dataset, load, report, run, servers
from comments.models import Comment
from tests import require
from tests.factories import PostFactory

ROOT = Path(__file__).resolve().parents[2]


def nginx_binary() -> str:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    require(Path(nginx).exists(), "nginx is not installed (make bench installs it)")
    return nginx

WRK_OUTPUT = """\
Running 8s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.10ms    1.20ms  40.00ms   90.00%
    Req/Sec     1.30k   100.00     1.50k    70.00%
  Latency Distribution
     50%  850.00us
     75%    3.00ms
     90%    4.00ms
     99%    1.20s
  20800 requests in 8.00s, 1.80GB read
  Non-2xx or 3xx responses: 12
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:   2600.00
Transfer/sec:    230.00MB
STATUSES 302=20788,429=12
"""


def test_wrk_output_is_read_with_its_units():
    measure = load.parse(WRK_OUTPUT)
    assert (measure.requests, measure.seconds, measure.rps) == (20800, 8.0, 2600.0)
    assert measure.p50 == pytest.approx(0.85) and measure.p99 == pytest.approx(1200.0)
    assert measure.failures == 15
    assert measure.statuses == {"302": 20788, "429": 12}


def test_results_replace_only_their_own_section(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Performance\n\n## Results\n\n{report.BEGIN}\nstale figures\n{report.END}\n\n"
                   "## Search\n\nKept as written.\n")
    results = report.Results()
    results.rows.append(report.Row("home page", "SQLite", "cold", load.parse(WRK_OUTPUT)))
    for _ in range(2):  # and again: the same file, not two copies
        report.write(doc, report.render(results))
    text = doc.read_text()
    assert text.count(report.BEGIN) == 1 and "stale figures" not in text
    assert "| home page | SQLite | cold | 2,600 |" in text
    assert text.endswith("## Search\n\nKept as written.\n")


@pytest.mark.parametrize(("seconds", "met"), [(59.9, "yes"), (60.0, "no")])
def test_the_import_is_judged_against_its_target(seconds, met):
    results = report.Results(import_seconds=seconds)
    assert (f"| import of 10,000 posts and 100,000 comments into SQLite < 60 s | {seconds:.1f} s "
            f"| {met} |") in report.targets_table(results)


@pytest.mark.django_db
def test_the_dataset_has_a_post_with_exactly_200_comments(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    info = dataset.build(posts=30, comments=100, seed=1)
    post_url = info["urls"]["post"]
    assert Comment.objects.approved().filter(post__slug=dataset.BENCH_SLUG).count() == 200
    for name, url in info["urls"].items():
        if url != "n/a":
            assert client.get(url).status_code == 200, name
    assert "200 Responses" in client.get(post_url).text


@pytest.mark.django_db
def test_the_comment_form_can_still_be_filled_in_as_comment_lua_does(client, settings):
    settings.COMMENTS_MIN_SECONDS = 0
    info = dataset.build(posts=5, comments=10, seed=2)
    page = client.get(info["urls"]["post"])
    fields = run.comment_form_fields(page.text)
    assert fields["action"] == reverse("comments:post", args=[info["comment_form"]])
    sent = client.post(fields["action"], {
        "author_name": "Benchmark Reader", "author_email": "reader@example.invalid",
        "author_url": "", "parent": "", "homepage": "", "notify_replies": "",
        "body": "A benchmark comment", "csrfmiddlewaretoken": fields["csrf"],
        "token": fields["token"]})
    assert sent.status_code == 302


@pytest.mark.parametrize("template", ["front", "static"])
def test_the_nginx_configurations_are_valid(template, tmp_path):
    nginx = nginx_binary()
    config = (ROOT / "bench" / "nginx" / f"{template}.conf.template").read_text().format(
        workers=1, work=tmp_path, user="", port=8999, app_port=8998, static_root=tmp_path,
        deploy=ROOT / "deploy" / "nginx", static_files=tmp_path)
    (tmp_path / "nginx.conf").write_text(config)
    (tmp_path / "nginx-tmp").mkdir()
    result = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reader_of_a_page_cached_by_the_nginx_front_can_comment(live_server, settings,
                                                                   tmp_path):
    """deploy/nginx/ as documented, in front of the live server: each reader gets their own
    CSRF token in the shared copy, and the comment it carries is taken."""
    nginx_binary()
    settings.COMMENTS_MIN_SECONDS = 0
    post = PostFactory(title="Cached beans")
    port, app_port = servers.free_port(), int(live_server.url.rsplit(":", 1)[1])
    config = (ROOT / "bench" / "nginx" / "front.conf.template").read_text().format(
        workers=1, work=tmp_path, user="user root;" if os.geteuid() == 0 else "", port=port,
        app_port=app_port, deploy=ROOT / "deploy" / "nginx", static_files=tmp_path)
    with servers.nginx("front", port=port, config_text=config, work=tmp_path):
        first = servers.fetch(port, post.get_absolute_url())
        mine = first.cookies()["csrftoken"]
        again = servers.fetch(port, post.get_absolute_url(), headers={"Cookie": f"csrftoken={mine}"})
        other = servers.fetch(port, post.get_absolute_url())
        assert again.header("X-Front-Cache") == "HIT" and not again.cookies()
        form = run.comment_form_fields(again.text)
        assert form["csrf"] == mine
        assert other.cookies()["csrftoken"] != mine and mine not in other.text

        sent = servers.fetch(port, form["action"], method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={mine}"},
            body=urllib.parse.urlencode({
                "author_name": "Ann", "author_email": "ann@example.org", "author_url": "",
                "body": "Sent from a cached page.", "parent": "", "homepage": "",
                "csrfmiddlewaretoken": form["csrf"], "token": form["token"]}))
    assert sent.status == 302
    assert Comment.objects.filter(post=post, body="Sent from a cached page.").exists()
