"""The browser fixture itself: a local page loads, a request off the machine is refused and recorded."""


def test_a_local_page_loads_and_outside_requests_are_refused(page, tmp_path, screenshot):
    html = tmp_path / "p.html"
    html.write_text("<html><body><h1 id=t>local</h1>"
                    "<img src='https://cdn.example.com/x.png'></body></html>", encoding="utf-8")
    page.goto(html.as_uri())
    page.wait_for_load_state("load")
    assert page.inner_text("#t") == "local"
    assert page.outside_requests == ["https://cdn.example.com/x.png"]
    assert screenshot(page, "chromium-offline").stat().st_size > 0
