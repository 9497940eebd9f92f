"""Write docs/calibration.md: the model's fastest times beside every published fastest time (run from the repo)."""

from __future__ import annotations

from pathlib import Path

from pxnet.analysis import calibration, calibration_markdown
from pxnet.io import atomic_path

PAGE = Path(__file__).with_name("calibration.md")


def main() -> None:
    """Generate the page."""
    with atomic_path(PAGE) as tmp:
        tmp.write_text(calibration_markdown(calibration()), encoding="utf-8")


if __name__ == "__main__":
    main()
