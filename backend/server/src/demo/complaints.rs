//! The words of the demo's hotline callers: for each case category several ways of saying
//! what is wrong, put together with a place, how it feels and what the caller asks for, in
//! varying order — so that no two categories read like one template; and the questions,
//! requests, suggestions and thanks of the orders that are not complaints.

use crate::rng::Rng;

/// What callers say about each category's problem.
const PROBLEMS: [(&str, &[&str]); 14] = [
    (
        "0101",
        &[
            "垃圾桶满了好几天没人收",
            "路边垃圾堆成小山，苍蝇到处飞",
            "有人把生活垃圾直接扔在路边",
            "垃圾没人清，夏天臭气熏天",
            "垃圾房旁边乱扔的袋子没人管",
        ],
    ),
    (
        "0102",
        &[
            "装修垃圾堆了一个多月没人清运",
            "碎砖和渣土堆在小区门口",
            "建筑垃圾越堆越多，下雨就流到路上",
            "陈年积存垃圾一直没处理",
        ],
    ),
    (
        "0103",
        &[
            "路面全是泥，走路都打滑",
            "马路上油污一大片，好几天没扫",
            "人行道上落叶和纸屑没人扫",
            "道路太脏了，环卫好像很久没来",
        ],
    ),
    (
        "0105",
        &[
            "电线杆上的线缆垂下来快碰到头了",
            "一捆废弃的通信线挂在半空",
            "楼前架空线乱拉，像蜘蛛网一样",
            "断掉的电缆搭在树上没人处理",
        ],
    ),
    (
        "0106",
        &[
            "烧烤店油烟直排，窗户都不能开",
            "饭店排油烟没有净化，整栋楼都是油烟味",
            "餐馆的油烟管道对着居民窗户排",
            "楼下小吃店油烟太大，衣服都晒不了",
        ],
    ),
    (
        "0107",
        &[
            "每天晚上有人在路边露天烧烤，烟很大",
            "夜市烧烤摊一直摆到凌晨，烟熏得受不了",
            "有人在人行道上支炉子烤串",
            "露天烧烤的炭火烟飘进家里",
        ],
    ),
    (
        "0201",
        &[
            "墙上贴满了小广告",
            "电线杆和路灯上到处是办证的小广告",
            "楼道里全是喷涂的开锁广告",
            "有人在车窗上塞小卡片，地上一地纸",
        ],
    ),
    (
        "0202",
        &[
            "新挂的大广告牌摇摇晃晃，怕掉下来",
            "楼顶的广告牌没经过审批就装上了",
            "路边立了一块很大的广告牌挡住视线",
        ],
    ),
    (
        "0301",
        &[
            "邻居在楼顶私自搭建彩钢房",
            "有人在小区绿地上违章建房",
            "一楼住户把院子围起来加盖了一间",
            "沿街商铺往外私自扩建了一截",
        ],
    ),
    (
        "0302",
        &[
            "渣土车一路撒土，路上全是泥块",
            "夜里渣土车没盖篷布，沙土撒了一路",
            "大货车掉下来的渣土把路弄得坑坑洼洼",
        ],
    ),
    (
        "0303",
        &[
            "工地的围挡倒了一半，很危险",
            "施工挡板破了，扬尘很大",
            "工地夜间施工没有围挡，噪音扰民",
        ],
    ),
    (
        "0402",
        &[
            "井盖没了，晚上有人差点掉进去",
            "路中间的井盖碎了一个大洞",
            "下水道井盖松动，车一过就响",
        ],
    ),
    (
        "0501",
        &[
            "流动摊贩推着车在路口卖水果",
            "早上路边全是卖菜的小摊，车都过不去",
            "地铁口有人摆地摊卖东西",
            "游商占着人行道叫卖，天天如此",
        ],
    ),
    (
        "0502",
        &[
            "商户把货架摆到门外人行道上",
            "饭店在门口摆桌子占道经营",
            "水果店出店经营，摊子摆了半条人行道",
            "修车铺在店门口修车，地上都是油",
        ],
    ),
];

const OPENERS: [&str; 8] = [
    "我要反映一下，",
    "你好，",
    "投诉：",
    "麻烦你们管一管，",
    "",
    "市民反映，",
    "我是附近居民，",
    "来电人称，",
];

const FEELINGS: [&str; 8] = [
    "，已经好长时间了",
    "，影响很大",
    "，老人孩子出门很不安全",
    "，反映过几次都没解决",
    "，晚上尤其严重",
    "",
    "，严重影响生活",
    "，周围居民意见很大",
];

const ASKS: [&str; 8] = [
    "希望尽快处理。",
    "请派人来看看。",
    "请相关部门尽快整改！",
    "希望城管管一管。",
    "请给个答复。",
    "。",
    "麻烦尽快解决，谢谢。",
    "要求处理并回复。",
];

/// The categories the demo's callers complain about.
pub fn categories() -> impl Iterator<Item = &'static str> {
    PROBLEMS.iter().map(|(c, _)| *c)
}

/// A caller's complaint about `category` at `place` (a street and number, a shop's door, a
/// community), in one of several orders.
pub fn complaint(rng: &mut Rng, category: &str, place: &str) -> String {
    let problems = PROBLEMS
        .iter()
        .find(|(c, _)| *c == category)
        .map_or(&PROBLEMS[0].1, |(_, p)| p);
    let problem = *rng.pick(problems);
    let opener = *rng.pick(&OPENERS);
    let feeling = *rng.pick(&FEELINGS);
    let ask = *rng.pick(&ASKS);
    match rng.below(3) {
        0 => format!("{opener}{place}{problem}{feeling}，{ask}"),
        1 => format!("{opener}{problem}{feeling}。地点在{place}，{ask}"),
        _ => format!("{place}{problem}。{ask}"),
    }
    .replace("，。", "。")
    .replace("。。", "。")
    .replace("，，", "，")
}

/// A place as a caller names it.
pub fn place(rng: &mut Rng, street: Option<&str>, shop: Option<&str>, number: u32) -> String {
    match (street, shop, rng.below(3)) {
        (_, Some(shop), 0) => format!("{shop}门口"),
        (Some(street), _, 1) => format!("{street}与{street}辅路交叉口附近"),
        (Some(street), _, _) => format!("{street}{number}号"),
        (None, Some(shop), _) => format!("{shop}附近"),
        (None, None, _) => "我家楼下".to_owned(),
    }
}

/// An order that is not a complaint: its type and words.
pub fn other(rng: &mut Rng) -> (&'static str, &'static str) {
    const OTHERS: [(&str, &str); 14] = [
        ("consultation", "请问门头招牌设置需要办理什么手续？"),
        ("consultation", "想咨询一下临时占道摆摊怎么申请。"),
        ("consultation", "装修垃圾应该怎么清运，需要预约吗？"),
        ("consultation", "咨询户外广告设置审批需要多长时间。"),
        ("consultation", "请问小区里可以办夜市吗，要找哪个部门？"),
        (
            "help",
            "家门口井盖被车压坏了，晚上看不见，请帮忙先设个警示。",
        ),
        (
            "help",
            "老人在路边摆摊被劝离，生活有困难，希望给个合适的地方。",
        ),
        ("help", "台风把路边树枝刮断挡住了路，请帮忙清理。"),
        ("suggestion", "建议在菜市场旁边设置便民疏导点。"),
        ("suggestion", "建议夜间多安排几次巡查，烧烤摊太多了。"),
        ("suggestion", "希望在学校门口增加非机动车停放区。"),
        ("praise", "感谢城管队员及时清理了路边的积水垃圾，表扬一下。"),
        ("praise", "上次反映的油烟问题已经解决了，谢谢你们。"),
        ("consultation", "请问门前责任制具体要商户做什么？"),
    ];
    *rng.pick(&OTHERS)
}

/// How the bureau replies once the case behind an order is closed.
pub fn reply(rng: &mut Rng, name: &str, closed: bool) -> String {
    const REPLIES: [&str; 5] = [
        "经现场核查，反映的{}问题属实，已责令当事人整改，现已整改到位。",
        "已派执法队员到场处置，{}问题已处理完毕，后续将加强巡查。",
        "收到后立即安排处置，{}已清理（整改）完毕，感谢监督。",
        "经核实，{}问题已于近日整改完成，已纳入日常巡查防止反弹。",
        "中队已对{}问题进行查处，当事人已整改，现场已恢复。",
    ];
    if !closed {
        return "经核查，该问题不属于城市管理职责，已告知来电人并转交相关部门办理。".to_owned();
    }
    rng.pick(&REPLIES).replace("{}", name)
}

/// How the bureau answers an order that needs no case.
pub fn answer(kind: &str) -> &'static str {
    match kind {
        "consultation" => "已电话告知来电人办理流程和所需材料，来电人表示清楚。",
        "help" => "已安排人员到场协助处理，现场已处置。",
        "suggestion" => "感谢建议，已转相关科室研究采纳。",
        _ => "感谢来电人的肯定，已转告相关中队。",
    }
}
