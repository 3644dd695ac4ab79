"""How a join result shows itself at the prompt and in Jupyter."""

from __future__ import annotations

import mali_map


def test_join_result_shows_a_short_repr_and_a_summary_card(tmp_path):
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Région\nHI,Mopti\n<script>x</script>,Atlantis<b>\n"
                       + "".join(f"HI,Nowhere{i}\n" for i in range(7)), encoding="utf-8")
    result = mali_map.join_files(records)
    text = repr(result)
    # Issue 9: national and multi-unit statuses and contradiction counts are shown too.
    assert text == ("JoinResult(source='3w.csv', rows=9, matched=1, warning=0, national=0, "
                    "multi=0, unmatched=8, invalid=0, conflicts=0, adm2=True)")
    card = result._repr_html_()
    assert len(card) < 20_000
    assert "unmatched: 8" in card and "matched: 1" in card
    assert "Atlantis&lt;b&gt;" in card and "<b>" not in card and "<script" not in card
    assert card.count("<tr>") == 1 + 5  # header + the first five rows needing attention
    assert "… and 3 more" in card
    assert card.count("<path") == 9  # the nine regions of the small map
    assert "<title>Mopti: 1</title>" in card


def test_a_clean_join_says_so(tmp_path):
    records = tmp_path / "3w.csv"
    records.write_text("Région\nGao\n", encoding="utf-8")
    card = mali_map.join_files(records)._repr_html_()
    assert "Every row is placed in a unit." in card and "<table>" not in card
