"""Sentence splitting with the real Kiwi and Punkt, inside line and paragraph boundaries."""

from __future__ import annotations

import pytest

from aligner.segment import presplit_sentences


def test_korean_bullets_are_never_glued(segmenter) -> None:
    text = "한-캐나다…中企 성장 지원 힘 모은다.\n- 조달청-캐나다간 양해각서(MOU) 체결\n- 양국 신성장 분야에 협력"
    sentences = segmenter.split(text, "ko")
    assert [s.text for s in sentences] == ["한-캐나다…中企 성장 지원 힘 모은다.",
                                           "- 조달청-캐나다간 양해각서(MOU) 체결", "- 양국 신성장 분야에 협력"]
    assert [s.line for s in sentences] == [0, 1, 2]


def test_korean_sentences_and_quotations(segmenter) -> None:
    text = ('조달청이 수출을 지원한다. 김 청장은 현장을 방문했다.\n\n'
            '로저스: "가이거 계수기입니다. 들을 수 있습니다." 에반스: "터지고 있어!"\n'
            '청장은 “정부는 대응하고 있다.”면서 말했다.')
    texts = [s.text for s in segmenter.split(text, "ko")]
    assert texts == ["조달청이 수출을 지원한다.", "김 청장은 현장을 방문했다.", '로저스: "가이거 계수기입니다.',
                     '들을 수 있습니다."', '에반스: "터지고 있어!"', "청장은 “정부는 대응하고 있다.”면서 말했다."]
    assert [s.paragraph for s in segmenter.split(text, "ko")] == [0, 0, 1, 1, 1, 1]


def test_english_abbreviations_do_not_end_sentences(segmenter) -> None:
    text = "Mr. Kim visited RexGen Co., located in An-yang. He met the U.S. buyers.\nKorea and Canada"
    assert [s.text for s in segmenter.split(text, "en")] == [
        "Mr. Kim visited RexGen Co., located in An-yang.", "He met the U.S. buyers.", "Korea and Canada"]


def test_chinese_and_japanese_sentences_end_at_full_width_stops(segmenter) -> None:
    """No space follows 。！？ in Chinese or Japanese; a closing quote stays with its sentence,
    a decimal point does not end one, and Arabic's question mark ends one as a full stop does."""
    assert [s.text for s in segmenter.split("他来了。她走了！价格是3.5元吗？“好。”他说。", "zh")] == [
        "他来了。", "她走了！", "价格是3.5元吗？", "“好。”", "他说。"]
    assert [s.text for s in segmenter.split("今日は晴れです。明日は雨でしょう。\n天気予報", "ja")] == [
        "今日は晴れです。", "明日は雨でしょう。", "天気予報"]
    assert [s.text for s in segmenter.split("هل أنت بخير؟ نعم.", "ar")] == ["هل أنت بخير؟", "نعم."]
    # no end inside a title or before a Japanese quotative; a straight quote closes only an open one
    assert [s.text for s in segmenter.split("我读了《你好吗？》这本书。", "zh")] == ["我读了《你好吗？》这本书。"]
    assert [s.text for s in segmenter.split("「行こう。」と彼は言った。すごい！と思った。", "ja")] == [
        "「行こう。」と彼は言った。", "すごい！と思った。"]
    assert [s.text for s in segmenter.split('他说："好。"然后走了。他走了。"你好"她说。', "zh")] == [
        '他说："好。"', "然后走了。", "他走了。", '"你好"她说。']
    assert [s.text for s in segmenter.split("好的。？”“！”她笑了。", "zh")] == ["好的。？”“！”", "她笑了。"]


def test_no_text_is_lost_and_long_lines_are_cut(segmenter) -> None:
    line = "단어 " * 3000
    sentences = segmenter.split(line, "ko")
    assert len(sentences) > 1
    assert "".join(s.text for s in sentences).replace(" ", "") == line.replace(" ", "")


def test_presplit_keeps_line_numbers() -> None:
    sentences = presplit_sentences("a\nb\n\nc\n")
    assert [(s.text, s.line) for s in sentences] == [("a", 0), ("b", 1), ("", 2), ("c", 3)]


def test_a_cut_never_leaves_a_stub(segmenter) -> None:
    texts = [s.text for s in segmenter.split("x" * 3000 + ". Short one.", "en")]
    assert texts[-1] == "Short one." and all(len(t) >= 20 for t in texts[:-1])
    assert "".join(texts).replace(" ", "") == "x" * 3000 + ".Shortone."


def test_a_korean_heading_without_full_stop_is_cut_from_the_next_sentence(segmenter) -> None:
    text = ("조달청, 혁신제품 구매를 두 배로 늘리다 조달청은 올해 혁신제품 구매를 늘린다고 밝혔다.\n"
            "시장이 커진다 해도 준비가 필요하다고 그는 말했다.")
    assert [s.text for s in segmenter.split(text, "ko")] == [
        "조달청, 혁신제품 구매를 두 배로 늘리다", "조달청은 올해 혁신제품 구매를 늘린다고 밝혔다.",
        "시장이 커진다 해도 준비가 필요하다고 그는 말했다."]


def test_a_quotation_keeps_its_reporting_clause_and_its_opening_quote(segmenter) -> None:
    text = ('"아직 지역 단위의 재난입니다.” 라고 적십자 대변인이 말했습니다. "정부가 선포하면 '
            '국제 지원을 받을 수 있습니다.” 하지만 아직은 아닙니다.')
    texts = [s.text for s in segmenter.split(text, "ko")]
    assert texts[0] == '"아직 지역 단위의 재난입니다.” 라고 적십자 대변인이 말했습니다.'
    assert texts[1].startswith('"정부가')
    assert all(any(c.isalnum() for c in t) for t in texts)
    assert "".join(texts).replace(" ", "") == text.replace(" ", "")


def test_punkt_loads_without_scipy_and_leaves_scipy_and_sklearn_importable() -> None:
    import subprocess
    import sys

    pytest.importorskip("scipy.stats")  # both come with the test extras (sentence-transformers)
    pytest.importorskip("sklearn.metrics")

    code = ("import sys\n"
            "from aligner.segment import Segmenter\n"
            "assert [s.text for s in Segmenter(1).split('Mr. Kim left. He slept.', 'en')] == "
            "['Mr. Kim left.', 'He slept.']\n"
            "assert 'scipy.stats' not in sys.modules\n"
            "assert not [m for m in sys.modules if m.partition('.')[0] not in sys.modules]\n"
            "import scipy.stats, sklearn.metrics\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_a_connective_da_in_running_text_is_not_a_heading_end(segmenter) -> None:
    for text in ["그는 학교에서 늦게까지 공부하다 보니 시간이 늦었다.", "비가 오다 그쳤다.",
                 "이 약은 효과가 있다 없다 말이 많다고 밝혔다.", "참다 못해 그는 소리를 질렀다."]:
        assert [s.text for s in segmenter.split(text, "ko")] == [text]


def test_a_sentence_quoted_in_another_language_ends_before_the_korean(segmenter) -> None:
    text = "그는 프랑스어로 말했다. Il faut bien le faire. 존 에드워드는 Mr. 김과 함께 위원회 이사입니다."
    assert [s.text for s in segmenter.split(text, "ko")] == [
        "그는 프랑스어로 말했다.", "Il faut bien le faire.", "존 에드워드는 Mr. 김과 함께 위원회 이사입니다."]


def test_korean_heading_ends_put_the_likeliest_first(segmenter) -> None:
    """A glued title ending in a noun: the grammar proposes every noun before a new word, and
    Kiwi's language model puts the title's end first."""
    text = "연방 검찰, 뉴욕시 테러 사건 용의자에게 흔치 않은 사형 구형 시도 뉴욕의 연방 검찰은 용의자에게 사형을 구형할 방침이다."
    ends = segmenter.heading_ends(text, "ko")
    assert text[:ends[0]].strip().endswith("사형 구형 시도")
    assert segmenter.heading_ends("짧은 문장이다.", "ko") == []
    assert segmenter.heading_ends("Prices rose sharply Officials said so on Monday", "en") == [len("Prices rose sharply ")]
    assert segmenter.heading_ends("Die Preise stiegen Beamte sagten", "de") == []


def test_a_headline_glued_to_the_lead_that_restates_it_is_cut_off(segmenter) -> None:
    english = ("New cancer vaccine can teach the immune system to see rogue cells "
               "New cancer vaccine can teach the immune system to see rogue cells and kill them. "
               "It was tested in mice.")
    assert [s.text for s in segmenter.split(english, "en")] == [
        "New cancer vaccine can teach the immune system to see rogue cells",
        "New cancer vaccine can teach the immune system to see rogue cells and kill them.",
        "It was tested in mice."]
    korean = "5명 중 1명의 어린이가 부모 몰래 계정 보유 5명 중 1명의 어린이가 부모 몰래 계정을 보유하고 있다."
    assert [s.text for s in segmenter.split(korean, "ko")] == [
        "5명 중 1명의 어린이가 부모 몰래 계정 보유", "5명 중 1명의 어린이가 부모 몰래 계정을 보유하고 있다."]


def test_three_repeated_words_do_not_cut_a_sentence(segmenter) -> None:
    verse = "and it shall rise up wholly as a flood; and it shall be cast out and drowned."
    assert [s.text for s in segmenter.split(verse, "en")] == [verse]
