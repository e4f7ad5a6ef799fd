"""Copy detection across units: planted copies are found (also with other numbers), unrelated texts
are not, LSH finds what all-pairs comparison finds, indicator sets and nouns from another field."""

from __future__ import annotations

import random

from selfeval_lib.requality.copies import (
    Passage,
    find_copies,
    foreign_nouns,
    naive_copies,
    normalise,
    shared_indicator_sets,
)

PARAGRAPH = ("本项目通过政府购买服务的方式，为辖区内80岁以上高龄老人提供居家养老上门服务，全年累计服务1200人次，"
             "有效提升了老年人的生活质量和幸福感，群众满意度较高。")
VOCAB = list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞")


def _random_text(rng: random.Random, length: int = 80) -> str:
    return "".join(rng.choice(VOCAB) for _ in range(length))


def test_normalise_drops_punctuation_and_masks_numbers() -> None:
    assert normalise("全年 服务1,200人次，满意度 95.5%！") == normalise("全年服务 900 人次；满意度98%")


def test_a_planted_copy_is_found_with_other_numbers_and_a_changed_phrase() -> None:
    copy = PARAGRAPH.replace("80岁", "70岁").replace("1200", "900").replace("群众满意度较高", "群众反映良好")
    passages = [Passage("甲局", "a1", "居家养老", "项目效益", PARAGRAPH),
                Passage("乙局", "b1", "社区养老", "项目效益", copy),
                Passage("丙局", "c1", "安全检查", "项目效益",
                        "全年开展安全生产执法检查工作，检查企业共计三百家，对发现的隐患督促整改到位，企业主体责任进一步压实。")]
    pairs = find_copies(passages)
    assert len(pairs) == 1
    pair = pairs[0]
    assert {pair.first.unit, pair.second.unit} == {"甲局", "乙局"} and pair.across_units
    assert pair.jaccard >= 0.6 and pair.ratio > 0.8
    assert "提供居家养老上门服务" in pair.shared


def test_unrelated_texts_and_one_projects_own_texts_are_not_pairs() -> None:
    rng = random.Random(7)
    passages = [Passage(f"单位{i}", f"p{i}", f"项目{i}", "绩效目标", _random_text(rng)) for i in range(60)]
    passages.append(Passage("单位0", "p0", "项目0", "项目效益", passages[0].text))  # same project, other field
    assert find_copies(passages) == []


def test_lsh_finds_what_all_pairs_finds() -> None:
    rng = random.Random(11)
    passages = [Passage(f"单位{i % 13}", f"p{i}", f"项目{i}", "绩效目标", _random_text(rng, 120)) for i in range(150)]
    for n, source in enumerate((3, 40, 77, 120)):
        text = passages[source].text
        edited = text[:50] + "调整" + text[52:]  # a copy with two characters changed
        passages.append(Passage(f"抄写单位{n}", f"c{n}", f"抄写项目{n}", "项目效益", edited))
    lsh, naive = find_copies(passages), naive_copies(passages)
    assert lsh == naive
    assert {p.second.project_id for p in lsh} == {"c0", "c1", "c2", "c3"}


def test_short_set_phrases_are_not_compared() -> None:
    passages = [Passage("甲", "a", "A", "绩效目标", "有效提升服务保障水平"), Passage("乙", "b", "B", "绩效目标", "有效提升服务保障水平")]
    assert find_copies(passages) == []


def test_the_same_indicator_set_across_units() -> None:
    shared = [("数量指标", "培训人数", "≥200人"), ("质量指标", "培训合格率", "≥95%"), ("时效指标", "完成时间", "2023年12月底前")]
    projects = [("甲局", "a1", "培训项目", shared), ("乙局", "b1", "技能提升", [tuple(x) for x in reversed(shared)]),
                ("丙局", "c1", "其他项目", shared[:2] + [("成本指标", "人均成本", "≤500元")]),
                ("甲局", "a2", "甲局另一项目", shared)]
    sets = shared_indicator_sets(projects)
    assert len(sets) == 1
    assert sets[0].units == sorted(["甲局", "乙局"])
    assert {pid for _, pid, _ in sets[0].projects} == {"a1", "a2", "b1"}


def test_one_units_projects_alone_are_not_a_shared_set() -> None:
    shared = [("数量指标", "培训人数", "≥200人"), ("质量指标", "培训合格率", "≥95%"), ("时效指标", "完成时间", "年底前")]
    assert shared_indicator_sets([("甲局", "a1", "A", shared), ("甲局", "a2", "B", shared)]) == []


def test_nouns_from_another_field() -> None:
    own = "民族团结进步示范创建项目：民族文化活动、民族团结宣传"
    passages = [Passage("民宗局", "m1", "民族团结", "满意度指标：受益老年人满意度", "受益老年人满意度≥90%"),
                Passage("民宗局", "m1", "民族团结", "满意度指标：少数民族群众满意度", "少数民族群众满意度≥90%")]
    found = foreign_nouns(own, passages)
    assert [(f.field_name, f.passage.field) for f in found] == [("养老", "满意度指标：受益老年人满意度")]
    assert found[0].heuristic and "受益老年人" in found[0].words
    assert foreign_nouns("社区居家养老服务补贴", passages[:1]) == []
