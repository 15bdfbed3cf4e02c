import pytest


@pytest.fixture(params=["summary", "live"])
def both_read_paths(request, settings, monkeypatch):
    """Run the test twice: reading the dashboard from the maintained summary (the
    default), then from the live query (REPERE_DASHBOARD_SUMMARY off).

    For tests that pin the status rules with histories no service writes (a certificate
    issued ten days ago, lessons done before joining, an earlier cycle's attempts), built
    with raw ORM writes on purpose: in the summary's run each read first recomputes the
    summary, as `check_summary --repair` does after such writes, so that both read paths
    are held to the same expected values."""
    from supervision import selectors, summary

    settings.REPERE_DASHBOARD_SUMMARY = request.param == "summary"
    if request.param == "summary":
        for name in (
            "dashboard_rows",
            "dashboard_totals",
            "dashboard_page",
            "dashboard_export_rows",
        ):
            original = getattr(selectors, name)

            def repaired_first(*args, _original=original, **kwargs):
                summary.summary_rebuild()
                return _original(*args, **kwargs)

            monkeypatch.setattr(selectors, name, repaired_first)
    return request.param
