"""Charts: the formats they can be saved in, and bar labels that never collide with the error bars."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from matplotlib.container import ErrorbarContainer

from drone_ledger.context import context
from drone_ledger.errors import PlotError
from drone_ledger.plots import _bars, _pyplot, plot_claim
from drone_ledger.validation import require_valid

#: Dollar claims of the bundled ledger: one where nothing is attributed, one where something is.
DOLLAR_CLAIMS = ("AZ-2020-10-14-F24", "AZ-2020-10-01-MIRKISHILI", "AZ-POSTWAR-CAERC")


@pytest.mark.parametrize("kind", ["bars", "timeline"])
def test_charts_can_be_saved_as_pdf(kind: str, tmp_path: Path) -> None:
    pdf = plot_claim(None, tmp_path / f"{kind}.PDF", kind=kind)
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_size > 5_000


def test_an_unsupported_suffix_names_the_three_formats(tmp_path: Path) -> None:
    with pytest.raises(PlotError) as caught:
        plot_claim(None, tmp_path / "chart.jpg")
    assert str(caught.value) == "save charts as .png, .svg or .pdf, not '.jpg'"
    with pytest.raises(PlotError) as caught:
        plot_claim(None, tmp_path / "chart")
    assert str(caught.value) == "save charts as .png, .svg or .pdf, not 'no suffix'"
    assert not list(tmp_path.iterdir())


def _bars_figure(claim_id: str) -> Any:
    plt = _pyplot()
    figure = _bars(plt, context(require_valid(None)), claim_id)
    figure.canvas.draw()  # lay the text out, as saving does
    return figure


@pytest.mark.parametrize("claim_id", DOLLAR_CLAIMS)
def test_bar_labels_sit_above_the_error_bars(claim_id: str) -> None:
    figure = _bars_figure(claim_id)
    try:
        (axis,) = figure.axes
        renderer = figure.canvas.get_renderer()
        errorbars = next(c for c in axis.containers if isinstance(c, ErrorbarContainer))
        (errorbar,) = errorbars.lines[2]  # the vertical low-high lines, one segment per bar
        tops = {round(segment[:, 0].mean()): segment[:, 1].max() for segment in errorbar.get_segments()}
        bars = {round(patch.get_x() + patch.get_width() / 2): patch.get_height() for patch in axis.patches}
        labels = [text for text in axis.texts if "items" in text.get_text()]
        assert len(labels) == 4  # attributed, other, unattributed, ceiling
        frame = axis.get_window_extent(renderer)
        for label in labels:
            x = round(label.xy[0])
            box = label.get_window_extent(renderer)
            top_of_error_bar = axis.transData.transform((x, tops[x]))[1]
            top_of_bar = axis.transData.transform((x, bars[x]))[1]
            cap = errorbar.get_linewidth()[0] * figure.dpi / 72  # the cap line's thickness, in pixels
            assert box.y0 > top_of_error_bar + cap, (label.get_text(), box.y0, top_of_error_bar)
            assert box.y0 > top_of_bar
            assert frame.y0 <= box.y0 and box.y1 <= frame.y1, "the label is inside the axes, not clipped"
    finally:
        _pyplot().close(figure)
