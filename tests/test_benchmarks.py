"""The parts of `make load` and `make bench` that could make them lie without failing."""

import httpx
import pytest

from benchmarks import load, report, run


def visitor_with(responses):
    """A load-test visitor whose server answers with `responses`, in order."""
    answers = iter(responses)
    sent = []

    def handler(request):
        sent.append(request)
        return next(answers)

    world = load.World("http://127.0.0.1:1", "course", [1], deadline=float("inf"))
    visitor = load.Visitor(world, "learner@example.org", "fr")
    visitor.http = httpx.Client(
        base_url=world.base_url, transport=httpx.MockTransport(handler), follow_redirects=False
    )
    return visitor, world, sent


def test_the_load_visitor_sends_secure_cookies_back_over_plain_http():
    """Production cookies are Secure: an ordinary client would drop them over http://, and
    every simulated learner would be logged out after logging in."""
    set_cookie = [
        ("set-cookie", "sessionid=abc; HttpOnly; Path=/; Secure; SameSite=Lax"),
        ("set-cookie", "csrftoken=tok; Path=/; Secure; SameSite=Lax"),
    ]
    visitor, world, sent = visitor_with(
        [httpx.Response(302, headers=[("location", "/fr/learning/"), *set_cookie]),
         httpx.Response(200)]
    )  # fmt: skip
    visitor.request("log in", "POST", "/fr/accounts/login/", expect=(302,))
    visitor.request("next", "GET", "/fr/learning/")
    assert sent[1].headers["cookie"] == "sessionid=abc; csrftoken=tok"


def test_the_load_visitor_posts_like_a_browser_with_origin_and_csrf_token():
    visitor, world, sent = visitor_with([httpx.Response(302, headers={"location": "/"})])
    visitor.cookies["csrftoken"] = "tok"
    visitor.request("mark as done", "POST", "/fr/x/done/", expect=(302,))
    assert sent[0].headers["origin"] == world.base_url
    assert b"csrfmiddlewaretoken=tok" in sent[0].content


def test_the_load_visitor_forgets_a_deleted_cookie():
    gone = "sessionid=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"
    visitor, world, sent = visitor_with([httpx.Response(302, headers=[("set-cookie", gone)])])
    visitor.cookies["sessionid"] = "abc"
    visitor.request("log out", "POST", "/fr/accounts/logout/", expect=(302,))
    assert "sessionid" not in visitor.cookies


def test_an_unexpected_status_is_an_error_and_not_an_acknowledged_write():
    visitor, world, sent = visitor_with([httpx.Response(200), httpx.Response(500)])
    load.read_lessons(visitor, world)
    assert [sample.ok for sample in world.samples] == [True, False]
    assert world.acknowledged["lesson done"] == set()


def test_a_refused_connection_is_an_error():
    def handler(request):
        raise httpx.ConnectError("refused")

    world = load.World("http://127.0.0.1:1", "course", [1], deadline=float("inf"))
    visitor = load.Visitor(world, "learner@example.org", "fr")
    visitor.http = httpx.Client(base_url=world.base_url, transport=httpx.MockTransport(handler))
    assert visitor.request("lesson page", "GET", "/fr/") is None
    assert world.samples[0].ok is False


@pytest.mark.parametrize(("fraction", "expected"), [(0.5, 50), (0.95, 95), (0.99, 99), (1.0, 100)])
def test_percentiles(fraction, expected):
    assert load.percentile([float(n) for n in range(100, 0, -1)], fraction) == pytest.approx(
        expected, abs=1
    )


def test_each_run_replaces_its_own_section_of_the_performance_page_and_keeps_the_other(tmp_path):
    page = tmp_path / "performance.md"
    report.replace_section("bench", "bench one", page)
    report.replace_section("load", "load one", page)
    report.replace_section("bench", "bench two", page)
    text = page.read_text()
    assert "bench two" in text
    assert "load one" in text
    assert "bench one" not in text
    assert text.index("bench two") < text.index("load one")


def test_the_benchmark_table_divides_by_the_named_baseline():
    rows = [
        run.Row("bare (baseline)", ms=2.0, queries=2, peak_kib=10),
        run.Row("page", ms=10.0, queries=11, peak_kib=200, baseline="bare (baseline)"),
    ]
    _headers, lines = run.table(rows)
    assert lines[1][1:7] == ["10.00", "×5.0", "11", "×5.5", "200", "×20.0"]
    assert lines[0][2] == ""


def test_a_run_of_some_suites_keeps_the_rows_of_the_others(tmp_path, monkeypatch):
    """BENCH_ONLY=lesson_page: its rows replace theirs; the dashboard's stay as they were."""
    page = tmp_path / "performance.md"
    headers = ["measure", "ms", "× base"]
    before = [
        ["bare (baseline)", "0.50", ""],
        ["lesson page (12 lessons)", "12.00", "×24.0"],
        ["dashboard page, 1,000 staff", "9.00", ""],
    ]
    report.replace_section("bench", report.markdown_table(headers, before), page)
    monkeypatch.setattr(report, "DOCUMENT", page)
    fresh = [
        ["bare (baseline)", "0.40", ""],
        ["lesson page (17 lessons)", "3.20", "×8.0"],
        ["quiz", "5.00", "×12.5"],
    ]
    merged = run._with_rows_not_run(fresh)
    assert merged == [fresh[0], fresh[1], before[2], fresh[2]]


def test_an_invitation_lost_or_received_twice_is_counted_and_fails_the_run():
    world = load.World("http://127.0.0.1:1", "course", [1], deadline=float("inf"))
    for email in ("once@example.org", "twice@example.org", "never@example.org"):
        world.acknowledge("person added", email)
    sink = load.MailSink()
    sink.received.update({"once@example.org": 1, "twice@example.org": 2})
    assert load.invitation_check(world, sink) == {
        "invitations received": 2,
        "lost": 1,
        "received more than once": 1,
    }


def test_the_mail_sink_counts_what_each_address_receives_and_comes_back_after_an_outage():
    import smtplib

    sink = load.MailSink()
    sink.start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            smtp.sendmail("a@example.org", ["Someone@Example.org"], "Subject: x\r\n\r\nbody")
        sink.stop()
        with pytest.raises(ConnectionRefusedError):
            smtplib.SMTP("127.0.0.1", sink.port, timeout=2)
        sink.start()
        with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
            smtp.sendmail("a@example.org", ["someone@example.org"], "Subject: y\r\n\r\nbody")
    finally:
        sink.stop()
    assert sink.received == {"someone@example.org": 2}


@pytest.mark.django_db
def test_the_board_case_reads_all_its_schools_or_one_in_queries_that_do_not_grow():
    """The board case at two small sizes: the board's page counts the staff of every
    school, the filtered one a school's only, and no measure runs more queries for more
    staff (`make bench` runs it at 2,000 and 20,000 staff over 100 schools)."""
    from benchmarks.dashboard import bench_board

    small, large = bench_board([16, 48], schools=4)
    assert (small["school_staff"], large["school_staff"]) == (4, 12)
    for measure in ("dashboard_queries", "school_queries", "export_queries"):
        assert small[measure] == large[measure], measure
    assert large["export_bytes"] > small["export_bytes"]
